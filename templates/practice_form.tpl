{{%AUTOESCAPE context="HTML"}}
<section class="card">
<h1>{{TITLE}}</h1>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="{{ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="200">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="address">Dirección</label>
<input id="address" name="address" value="{{ADDRESS}}" maxlength="200" autocomplete="street-address">
{{#ERR_address}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_address}}
<label for="city">Ciudad</label>
<input id="city" name="city" value="{{CITY}}" maxlength="100">
{{#ERR_city}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_city}}
<label for="state">Provincia</label>
<input id="state" name="state" value="{{STATE}}" maxlength="100">
{{#ERR_state}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_state}}
<label for="zip_code">Código postal</label>
<input id="zip_code" name="zip_code" value="{{ZIP_CODE}}" maxlength="20" autocomplete="postal-code">
{{#ERR_zip_code}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_zip_code}}
<label for="country">País (código de dos letras)</label>
<input id="country" name="country" value="{{COUNTRY}}" required maxlength="2">
{{#ERR_country}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_country}}
<label for="phone">Teléfono (por ejemplo 02 234 5678 o +57 1 234 5678)</label>
<input id="phone" name="phone" type="tel" value="{{PHONE}}" maxlength="32">
{{#ERR_phone}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_phone}}
<label for="email">Correo</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="254">
{{#ERR_email}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_email}}
<label for="google_place_id">Place ID de Google</label>
<input id="google_place_id" name="google_place_id" value="{{GOOGLE_PLACE_ID}}" maxlength="512">
<small>Búscalo en el buscador de Place ID de Google. Con él armamos el enlace que lleva a tus pacientes a escribir una reseña.</small>
{{#ERR_google_place_id}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_google_place_id}}
{{#REVIEW}}<p>Enlace de reseñas: <a id="review-link" href="{{LINK}}" target="_blank" rel="noopener noreferrer">{{LINK}}</a> (ábrelo para probarlo)</p>
{{/REVIEW}}
<label for="timezone">Zona horaria (nombre IANA)</label>
<input id="timezone" name="timezone" value="{{TIMEZONE}}" required maxlength="64" list="timezones">
<datalist id="timezones">
<option value="America/Guayaquil">
<option value="Pacific/Galapagos">
<option value="America/Bogota">
<option value="America/Lima">
<option value="America/Mexico_City">
<option value="America/Santiago">
<option value="America/Argentina/Buenos_Aires">
<option value="America/New_York">
<option value="Europe/Madrid">
</datalist>
{{#ERR_timezone}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_timezone}}
<fieldset>
<legend>Horario de envío de mensajes (hora del consultorio)</legend>
<label for="sending_start">Desde</label>
<input id="sending_start" name="sending_start" type="time" value="{{SENDING_START}}" required>
{{#ERR_sending_start}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_sending_start}}
<label for="sending_end">Hasta</label>
<input id="sending_end" name="sending_end" type="time" value="{{SENDING_END}}" required>
{{#ERR_sending_end}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_sending_end}}
</fieldset>
<button type="submit">Guardar</button>
</form>
{{#EDITING}}<form method="post" action="{{DELETE_ACTION}}" class="danger">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Eliminar consultorio</button>
</form>
{{/EDITING}}
<p><a href="/practices">Volver a consultorios</a></p>
</section>
