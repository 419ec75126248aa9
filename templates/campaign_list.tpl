{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
<p><a class="button" href="/campaigns/new">Nueva campaña</a></p>
{{#EMPTY}}<p>Aún no hay campañas.</p>
{{/EMPTY}}
{{#PAST_END}}<p>No hay más campañas. <a href="/campaigns">Volver a la primera página</a></p>
{{/PAST_END}}
<table class="list" id="campaigns">
<thead><tr><th scope="col">Campaña</th><th scope="col">Estado</th><th scope="col">Consultorio</th><th scope="col">Creada</th><th scope="col">Pacientes</th><th scope="col">Enviados</th><th scope="col">Respuestas</th><th scope="col">Calificación promedio</th></tr></thead>
<tbody>
{{#CAMPAIGN}}<tr data-status="{{STATUS}}">
<td><a href="{{HREF}}">{{NAME}}</a><br><small>por {{AUTHOR}}</small></td>
<td>{{STATUS_LABEL}}</td><td>{{PRACTICE}}</td><td>{{CREATED}}</td>
<td class="num">{{PATIENTS}}</td><td class="num">{{SENT}}</td><td class="num">{{REPLIES}}</td><td class="num">{{AVG_RATING}}</td>
</tr>
{{/CAMPAIGN}}
</tbody>
</table>
{{#PAGER}}<nav class="pager" aria-label="Páginas">{{#PREV}}<a href="{{HREF}}" rel="prev">Anterior</a> {{/PREV}}<span>Página {{PAGE}} de {{PAGES}}</span>{{#NEXT}} <a href="{{HREF}}" rel="next">Siguiente</a>{{/NEXT}}</nav>
{{/PAGER}}
