{{%AUTOESCAPE context="HTML"}}
<section class="card narrow patient">
<h1>Listo</h1>
<p class="notice">No recibirás más mensajes de <strong>{{PRACTICE}}</strong>.</p>
</section>
