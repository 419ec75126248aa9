{{%AUTOESCAPE context="HTML"}}
<section class="card">
<h1>{{TITLE}}</h1>
{{#SAVED}}<p class="notice" role="status">Cambios guardados.</p>
{{/SAVED}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<table class="users">
<thead>
<tr><th scope="col">Nombre</th><th scope="col">Correo</th><th scope="col">Rol</th><th scope="col">Estado</th><th scope="col">Último acceso</th><th scope="col">Acciones</th></tr>
</thead>
<tbody>
{{#USER}}<tr id="user-{{ID}}">
<td>{{NAME}}{{#SELF}} (tú){{/SELF}}</td>
<td>{{EMAIL}}</td>
<td>
<form method="post" action="/users/{{ID}}/role">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label class="vh" for="role-{{ID}}">Rol de {{NAME}}</label>
<select id="role-{{ID}}" name="role">
{{#ROLE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ROLE_OPTION}}</select>
<button type="submit">Cambiar rol</button>
</form>
</td>
<td>{{#ACTIVE}}Activo{{/ACTIVE}}{{#DEACTIVATED}}Desactivado{{/DEACTIVATED}}{{#NO_PASSWORD}} · sin contraseña aún{{/NO_PASSWORD}}</td>
<td>{{LAST_LOGIN}}</td>
<td>
{{#ACTIVE}}<form method="post" action="/users/{{ID}}/link">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Enlace para crear contraseña</button>
</form>
<form method="post" action="/users/{{ID}}/deactivate">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Desactivar</button>
</form>{{/ACTIVE}}
{{#DEACTIVATED}}<form method="post" action="/users/{{ID}}/reactivate">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Reactivar</button>
</form>{{/DEACTIVATED}}
</td>
</tr>
{{/USER}}</tbody>
</table>
{{#PREV}}<a href="/users?page={{PAGE}}" rel="prev">Anterior</a>{{/PREV}}
{{#NEXT}}<a href="/users?page={{PAGE}}" rel="next">Siguiente</a>{{/NEXT}}
</section>
<section class="card narrow">
<h2>Añadir usuario</h2>
<p>Recibirás un enlace para que la persona cree su contraseña. Es válido 72 horas y sirve una sola vez.</p>
<form method="post" action="/users">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NEW_NAME}}" required maxlength="120" autocomplete="off">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="email">Correo electrónico</label>
<input id="email" name="email" type="email" value="{{NEW_EMAIL}}" required maxlength="254" autocomplete="off">
{{#ERR_email}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_email}}
<label for="role">Rol</label>
<select id="role" name="role">
{{#ROLE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ROLE_OPTION}}</select>
{{#ERR_role}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_role}}
<button type="submit">Añadir usuario</button>
</form>
</section>
