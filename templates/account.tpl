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
<span class="field-error">{{ERR_name}}</span>
<fieldset>
<legend>Cambiar contraseña (opcional)</legend>
<label for="new_password">Nueva contraseña</label>
<input id="new_password" name="new_password" type="password" minlength="8" maxlength="72" autocomplete="new-password">
<span class="field-error">{{ERR_new_password}}</span>
<label for="new_password2">Repite la nueva contraseña</label>
<input id="new_password2" name="new_password2" type="password" maxlength="72" autocomplete="new-password">
<span class="field-error">{{ERR_new_password2}}</span>
</fieldset>
<label for="current_password">Contraseña actual (obligatoria para guardar)</label>
<input id="current_password" name="current_password" type="password" required maxlength="72" autocomplete="current-password">
<span class="field-error">{{ERR_current_password}}</span>
<button type="submit">Guardar</button>
</form>
</section>
