{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="{{ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="200">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="phone">Teléfono (móvil para SMS y WhatsApp)</label>
<input id="phone" name="phone" type="tel" value="{{PHONE}}" maxlength="40" placeholder="0987654321">
{{#ERR_phone}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_phone}}
<label for="email">Correo</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="254">
{{#ERR_email}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_email}}
<label for="campaign_id">Campaña</label>
<select id="campaign_id" name="campaign_id">
<option value="">Sin campaña</option>
{{#CAMPAIGNS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/CAMPAIGNS}}
</select>
{{#ERR_campaign_id}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_campaign_id}}
<label for="appointment">Fecha y hora de la cita (hora del consultorio)</label>
<input id="appointment" name="appointment" type="datetime-local" value="{{APPOINTMENT}}">
{{#ERR_appointment}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_appointment}}
<label for="appointment_type">Tipo de cita</label>
<input id="appointment_type" name="appointment_type" value="{{TYPE}}" maxlength="200">
{{#ERR_appointment_type}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_appointment_type}}
<label for="channel">Canal</label>
<select id="channel" name="channel">
<option value="SMS"{{#CHANNEL_SMS}} selected{{/CHANNEL_SMS}}>SMS</option>
<option value="WHATSAPP"{{#CHANNEL_WHATSAPP}} selected{{/CHANNEL_WHATSAPP}}>WhatsApp</option>
<option value="EMAIL"{{#CHANNEL_EMAIL}} selected{{/CHANNEL_EMAIL}}>Correo</option>
</select>
{{#ERR_channel}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_channel}}
<label for="language">Idioma</label>
<select id="language" name="language">
<option value="es"{{#LANGUAGE_es}} selected{{/LANGUAGE_es}}>Español</option>
<option value="en"{{#LANGUAGE_en}} selected{{/LANGUAGE_en}}>Inglés</option>
</select>
{{#ERR_language}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_language}}
<label class="check"><input type="checkbox" name="consent" value="1"{{#CONSENT}} checked{{/CONSENT}}> El paciente dio su consentimiento para recibir mensajes</label>
<button type="submit">Guardar</button>
</form>
{{#EDITING}}<p><a href="/patients/{{ID}}">Volver al paciente</a></p>{{/EDITING}}
</section>
