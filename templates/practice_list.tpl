{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
{{#SAVED}}<p class="notice" role="status">Consultorio guardado.</p>
{{/SAVED}}
{{#DELETED}}<p class="notice" role="status">Consultorio eliminado.</p>
{{/DELETED}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
{{#CAN_CREATE}}<p><a class="button" href="/practices/new">Nuevo consultorio</a></p>
{{/CAN_CREATE}}
{{#EMPTY}}<p>Aún no hay consultorios. Una campaña necesita uno: su Place ID de Google da el enlace para pedir reseñas.</p>
{{/EMPTY}}
{{#PAST_END}}<p>No hay más consultorios. <a href="/practices">Volver a la primera página</a></p>
{{/PAST_END}}
<table class="list">
<thead><tr><th scope="col">Nombre</th><th scope="col">Ciudad</th><th scope="col">Teléfono</th><th scope="col">Zona horaria</th><th scope="col">Horario de envío</th><th scope="col">Reseñas en Google</th><th scope="col">Campañas</th><th scope="col">Acciones</th></tr></thead>
<tbody>
{{#PRACTICE}}<tr>
<td>{{NAME}}</td><td>{{CITY}} ({{COUNTRY}})</td><td>{{PHONE}}</td><td>{{TIMEZONE}}</td><td>{{HOURS}}</td>
<td>{{#REVIEW}}<a href="{{LINK}}" target="_blank" rel="noopener noreferrer">Probar el enlace de reseñas</a>{{/REVIEW}}{{#NO_REVIEW}}Sin Place ID{{/NO_REVIEW}}</td>
<td>{{CAMPAIGNS}}</td>
<td>{{#CAN_EDIT}}<a href="{{EDIT_HREF}}">Editar</a>{{/CAN_EDIT}}{{#READ_ONLY}}—{{/READ_ONLY}}</td>
</tr>
{{/PRACTICE}}
</tbody>
</table>
{{#PAGER}}<nav class="pager" aria-label="Páginas">{{#PREV}}<a href="{{HREF}}" rel="prev">Anterior</a> {{/PREV}}<span>Página {{PAGE}} de {{PAGES}}</span>{{#NEXT}} <a href="{{HREF}}" rel="next">Siguiente</a>{{/NEXT}}</nav>
{{/PAGER}}
