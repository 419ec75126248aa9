{{%AUTOESCAPE context="HTML"}}
<section class="card narrow patient">
<h1>Dejar de recibir correos</h1>
<p>Si confirmas, <strong>{{PRACTICE}}</strong> no te enviará más mensajes por este medio.</p>
<form method="post" action="{{ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Confirmar</button>
</form>
</section>
