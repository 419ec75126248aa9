{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
<p>Hola, {{NAME}}. Crea la contraseña con la que entrarás como {{EMAIL}}.</p>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="/users/password/{{TOKEN}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="password">Contraseña (mínimo 8 caracteres)</label>
<input id="password" name="password" type="password" required minlength="8" maxlength="72" autocomplete="new-password">
{{#ERR_password}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_password}}
<label for="password2">Repite la contraseña</label>
<input id="password2" name="password2" type="password" required maxlength="72" autocomplete="new-password">
{{#ERR_password2}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_password2}}
<button type="submit">Guardar contraseña</button>
</form>
</section>
