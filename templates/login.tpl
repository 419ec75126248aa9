{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="email">Correo electrónico</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" required autocomplete="username" maxlength="254">
{{#ERR_email}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_email}}
<label for="password">Contraseña</label>
<input id="password" name="password" type="password" required autocomplete="current-password" maxlength="72">
{{#ERR_password}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_password}}
<button type="submit">Entrar</button>
</form>
<p>¿Aún no tienes cuenta? <a href="/signup">Crea una gratis</a>.</p>
</section>
