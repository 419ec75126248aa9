{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
{{#INVITED}}<p class="notice" role="status">{{NAME}} ({{EMAIL}}) ya es usuario de la cuenta.</p>
{{/INVITED}}
{{#RESET}}<p>Enlace nuevo para {{NAME}} ({{EMAIL}}). Los enlaces anteriores dejaron de funcionar.</p>
{{/RESET}}
<p>Envíale este enlace para que cree su contraseña. Es válido {{HOURS}} horas y sirve una sola vez.</p>
<p><strong>Cópialo ahora: no se volverá a mostrar.</strong></p>
<p><input id="link" aria-label="Enlace para crear la contraseña" readonly value="{{LINK}}" size="80"></p>
<p><a href="/users">Volver a usuarios</a></p>
</section>
