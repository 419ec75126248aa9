{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
{{#ERASED}}<p class="notice" role="status">Los datos personales de este paciente fueron borrados el {{DELETED_AT}}. Se conservan sus calificaciones para los totales.</p>
{{/ERASED}}
{{#OPTED_OUT}}<p class="notice" role="status">Dado de baja el {{OPTED_OUT_AT}}: no recibe mensajes.</p>
{{/OPTED_OUT}}
<dl class="details" id="patient">
<dt>Teléfono</dt><dd id="phone">{{PHONE}}</dd>
<dt>Correo</dt><dd id="email">{{EMAIL}}</dd>
<dt>Campaña</dt><dd>{{#HAS_CAMPAIGN}}<a href="/campaigns/{{CAMPAIGN_ID}}">{{CAMPAIGN}}</a>{{/HAS_CAMPAIGN}}</dd>
<dt>Cita</dt><dd id="appointment">{{APPOINTMENT}} ({{TIMEZONE}})</dd>
<dt>Tipo de cita</dt><dd>{{TYPE}}</dd>
<dt>Canal</dt><dd id="channel">{{CHANNEL}}</dd>
<dt>Idioma</dt><dd>{{LANGUAGE}}</dd>
<dt>Consentimiento</dt><dd id="consent">{{CONSENT}} {{CONSENT_AT}}</dd>
<dt>Alta</dt><dd>{{CREATED_AT}}</dd>
</dl>
<h2>Mensajes</h2>
{{#NO_MESSAGES}}<p>Todavía no hay mensajes para este paciente.</p>
{{/NO_MESSAGES}}
<table class="list" id="messages">
<thead><tr><th scope="col">Tipo</th><th scope="col">Canal</th><th scope="col">Estado</th><th scope="col">Programado</th><th scope="col">Enviado</th><th scope="col">Entregado</th><th scope="col">Respondido</th><th scope="col">Respuesta</th><th scope="col">Calificación</th></tr></thead>
<tbody>
{{#MESSAGE}}<tr class="status-{{STATUS_CODE}}"><td>{{TYPE}}</td><td>{{CHANNEL}}</td><td>{{STATUS}} {{ERROR}}</td><td>{{SCHEDULED_AT}}</td><td>{{SENT_AT}}</td><td>{{DELIVERED_AT}}</td><td>{{REPLIED_AT}}</td><td>{{REPLY}}</td><td>{{RATING}}</td></tr>
{{/MESSAGE}}
</tbody>
</table>
<h2>Acciones</h2>
<ul class="actions">
{{#NOT_ERASED}}<li><a href="/patients/{{ID}}/edit">Editar</a></li>
{{/NOT_ERASED}}
<li><a href="/patients/{{ID}}/export">Descargar sus datos (JSON)</a></li>
</ul>
{{#NOT_ERASED}}
{{#CAN_OPT_OUT}}<form method="post" action="/patients/{{ID}}/opt-out">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<p>Dar de baja: su teléfono y su correo pasan a la lista de bajas y se cancelan sus mensajes pendientes.</p>
<button type="submit">Dar de baja</button>
</form>
{{/CAN_OPT_OUT}}
<form method="post" action="/patients/{{ID}}/erase">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<p>Borrar sus datos personales (derecho de supresión): nombre, teléfono y correo se reemplazan; se cancelan sus mensajes pendientes; las calificaciones se conservan para los totales. No se puede deshacer.</p>
<label class="check"><input type="checkbox" name="confirm" value="1" required> Confirmo que quiero borrar los datos de este paciente</label>
<button type="submit" class="danger">Borrar datos</button>
</form>
{{/NOT_ERASED}}
