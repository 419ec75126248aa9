{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
<p>Plan Gratis con 50 créditos de mensajes para empezar.</p>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="/signup">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="workspace">Nombre del consultorio o clínica</label>
<input id="workspace" name="workspace" value="{{WORKSPACE}}" required maxlength="120">
{{#ERR_workspace}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_workspace}}
<label for="name">Tu nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="120" autocomplete="name">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="email">Correo electrónico</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" required maxlength="254" autocomplete="email">
{{#ERR_email}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_email}}
<label for="password">Contraseña (mínimo 8 caracteres)</label>
<input id="password" name="password" type="password" required minlength="8" maxlength="72" autocomplete="new-password">
{{#ERR_password}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_password}}
<label for="password2">Repite la contraseña</label>
<input id="password2" name="password2" type="password" required maxlength="72" autocomplete="new-password">
{{#ERR_password2}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_password2}}
<button type="submit">Crear cuenta</button>
</form>
<p>¿Ya tienes cuenta? <a href="/login">Inicia sesión</a>.</p>
</section>
