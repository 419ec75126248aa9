{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
<p>Archivo <strong>{{FILENAME}}</strong> para la campaña <strong>{{CAMPAIGN}}</strong>: {{ENCODING}}, separado por «{{DELIMITER}}».</p>
{{#HAS_IGNORED}}<p id="ignored">Columnas ignoradas: {{IGNORED}}</p>
{{/HAS_IGNORED}}
<section class="figures" aria-label="Resumen">
<div class="figure"><span class="label">Filas leídas</span><span class="value" id="total">{{TOTAL}}</span></div>
<div class="figure"><span class="label">Aceptadas</span><span class="value" id="accepted">{{ACCEPTED}}</span></div>
<div class="figure"><span class="label">Rechazadas</span><span class="value" id="refused">{{REFUSED}}</span></div>
<div class="figure"><span class="label">Duplicadas en el archivo</span><span class="value" id="duplicate-file">{{DUPLICATE_FILE}}</span></div>
<div class="figure"><span class="label">Ya en la campaña</span><span class="value" id="duplicate-campaign">{{DUPLICATE_CAMPAIGN}}</span></div>
<div class="figure"><span class="label">En la lista de bajas (se importan, sin mensajes)</span><span class="value" id="opted-out">{{OPTED_OUT}}</span></div>
</section>
{{#CONFIRMED}}<p class="notice" role="status" id="done">Importación confirmada: {{IMPORTED}} pacientes importados, {{ENQUEUED}} mensajes programados.</p>
{{#CAN_SEE_PATIENTS}}<p><a href="/patients?campaign={{CAMPAIGN_ID:u}}">Ver los pacientes de la campaña</a></p>{{/CAN_SEE_PATIENTS}}
{{/CONFIRMED}}
{{#EXPIRED}}<p class="alert" role="alert">Esta importación caducó: los datos esperan una hora. Suba el archivo otra vez.</p>
{{/EXPIRED}}
{{#NOTHING_TO_IMPORT}}<p class="alert" role="alert">No hay filas que importar.</p>
{{/NOTHING_TO_IMPORT}}
{{#CAN_CONFIRM}}<form method="post" action="/patients/import/{{ID}}/confirm">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<p>Al confirmar se importan las {{ACCEPTED}} filas aceptadas, todas juntas. Los datos esperan hasta las {{EXPIRES}}.</p>
<button type="submit" id="confirm">Confirmar la importación</button>
</form>
{{/CAN_CONFIRM}}
<h2>Filas con observaciones</h2>
<table class="list" id="rows">
<thead><tr><th scope="col">Línea</th><th scope="col">Resultado</th><th scope="col">Nombre</th><th scope="col">Contacto</th><th scope="col">Motivo</th></tr></thead>
<tbody>
{{#ROW}}<tr class="row-{{STATUS_CODE}}"><td>{{LINE}}</td><td>{{STATUS}}</td><td>{{NAME}}</td><td>{{CONTACT}}</td><td>{{REASON}}</td></tr>
{{/ROW}}
</tbody>
</table>
{{#ROWS_TRUNCATED}}<p>Se muestran las primeras 1000 filas con observaciones.</p>
{{/ROWS_TRUNCATED}}
<p><a href="/patients/import">Importar otro archivo</a></p>
