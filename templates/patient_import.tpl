{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<p>Suba un archivo CSV (separado por comas o por punto y coma, hasta 10 MB) con una fila por paciente. Columnas: nombre, teléfono, correo, fecha de la cita (dd/mm/aaaa HH:MM), tipo de cita, consentimiento (sí/no), canal (SMS, WhatsApp o correo) e idioma. Primero verá un informe; nada se importa hasta que lo confirme.</p>
<form method="post" action="/patients/import" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="campaign_id">Campaña</label>
<select id="campaign_id" name="campaign_id" required>
<option value="">Elija una campaña</option>
{{#CAMPAIGNS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/CAMPAIGNS}}
</select>
{{#ERR_campaign_id}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_campaign_id}}
<label for="file">Archivo CSV</label>
<input id="file" name="file" type="file" accept=".csv,text/csv" required>
{{#ERR_file}}<span class="field-error" id="file-error">{{MESSAGE}}</span>{{/ERR_file}}
<button type="submit">Revisar el archivo</button>
</form>
</section>
