{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
{{#SAVED}}<p class="notice" role="status">Cambios guardados.</p>
{{/SAVED}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="/account">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<p>Correo: <strong>{{EMAIL}}</strong></p>
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="120" autocomplete="name">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<fieldset>
<legend>Cambiar contraseña (opcional)</legend>
<label for="new_password">Nueva contraseña</label>
<input id="new_password" name="new_password" type="password" minlength="8" maxlength="72" autocomplete="new-password">
{{#ERR_new_password}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_new_password}}
<label for="new_password2">Repite la nueva contraseña</label>
<input id="new_password2" name="new_password2" type="password" maxlength="72" autocomplete="new-password">
{{#ERR_new_password2}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_new_password2}}
</fieldset>
<label for="current_password">Contraseña actual (obligatoria para guardar)</label>
<input id="current_password" name="current_password" type="password" required maxlength="72" autocomplete="current-password">
{{#ERR_current_password}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_current_password}}
<button type="submit">Guardar</button>
</form>
</section>
