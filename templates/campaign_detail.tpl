{{%AUTOESCAPE context="HTML"}}
<h1>{{NAME}}</h1>
{{#SAVED}}<p class="notice" role="status">Campaña guardada.</p>
{{/SAVED}}
{{#ACTIVATED}}<div class="notice" role="status" id="activation">
<p>Campaña activada: {{ENQUEUED}}.</p>
{{#PAST}}<p>Omitidos: {{N}} con la cita de hace más de 7 días.</p>
{{/PAST}}
{{#BLOCKED}}<p>Omitidos: {{N}} sin consentimiento, dados de baja, con sus datos borrados o sin teléfono o correo para su canal.</p>
{{/BLOCKED}}
</div>
{{/ACTIVATED}}
{{#CANCELLED_MSGS}}<p class="notice" role="status" id="cancelled">Cancelados: {{N}}.</p>
{{/CANCELLED_MSGS}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<dl class="facts">
<dt>Estado</dt><dd id="status" data-status="{{STATUS}}">{{STATUS_LABEL}}</dd>
<dt>Consultorio</dt><dd>{{PRACTICE}}</dd>
<dt>Creada por</dt><dd>{{AUTHOR}}</dd>
<dt>Horas después de la cita</dt><dd>{{HOURS}}</dd>
</dl>
{{#DESCRIPTION}}<p>{{DESCRIPTION}}</p>
{{/DESCRIPTION}}
<section class="figures" aria-label="Cifras">
<div class="figure"><span class="label">Pacientes</span><span class="value">{{PATIENTS}}</span></div>
<div class="figure"><span class="label">Programados</span><span class="value">{{PENDING}}</span></div>
<div class="figure"><span class="label">Enviados</span><span class="value">{{SENT}}</span></div>
<div class="figure"><span class="label">Respuestas</span><span class="value">{{REPLIES}}</span></div>
<div class="figure"><span class="label">Calificación promedio</span><span class="value">{{AVG_RATING}}</span></div>
</section>
<div class="actions">
<a href="{{EDIT_HREF}}">Editar</a>
{{#CAN_ACTIVATE}}<form method="post" action="{{ACTION}}"><input type="hidden" name="_csrf" value="{{CSRF}}"><button type="submit">Activar y programar mensajes</button></form>
{{/CAN_ACTIVATE}}
{{#CAN_COMPLETE}}<form method="post" action="{{ACTION}}"><input type="hidden" name="_csrf" value="{{CSRF}}"><button type="submit">Marcar como completada</button></form>
{{/CAN_COMPLETE}}
{{#CAN_CANCEL}}<form method="post" action="{{ACTION}}"><input type="hidden" name="_csrf" value="{{CSRF}}"><button type="submit" class="danger">Cancelar campaña</button></form>
{{/CAN_CANCEL}}
</div>
<h2>Pacientes</h2>
{{#NO_PATIENTS}}<p>Esta campaña aún no tiene pacientes. Agrégalos desde <a href="/patients">Pacientes</a> o con la importación de un CSV.</p>
{{/NO_PATIENTS}}
{{#PAST_END}}<p>No hay más pacientes en esta campaña.</p>
{{/PAST_END}}
<table class="list" id="patients">
<thead><tr><th scope="col">Paciente</th><th scope="col">Contacto</th><th scope="col">Canal</th><th scope="col">Cita</th><th scope="col">Último mensaje</th></tr></thead>
<tbody>
{{#PATIENT}}<tr>
<td><a href="{{HREF}}">{{NAME}}</a></td><td>{{CONTACT}}</td><td>{{CHANNEL}}</td><td>{{APPOINTMENT}}</td>
<td>{{#MESSAGE}}<span data-status="{{STATUS}}">{{TYPE}}: {{STATUS_LABEL}}</span>, {{WHEN}}{{#RATING}}. Calificación: {{N}}{{/RATING}}{{/MESSAGE}}{{#NO_MESSAGE}}{{WHY}}{{/NO_MESSAGE}}</td>
</tr>
{{/PATIENT}}
</tbody>
</table>
{{#PAGER}}<nav class="pager" aria-label="Páginas">{{#PREV}}<a href="{{HREF}}" rel="prev">Anterior</a> {{/PREV}}<span>Página {{PAGE}} de {{PAGES}}</span>{{#NEXT}} <a href="{{HREF}}" rel="next">Siguiente</a>{{/NEXT}}</nav>
{{/PAGER}}
<p><a href="/campaigns">Volver a campañas</a></p>
