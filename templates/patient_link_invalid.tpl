{{%AUTOESCAPE context="HTML"}}
<section class="card narrow patient">
<h1>Este enlace ya no está disponible</h1>
<p>Puede que haya caducado o que se haya copiado incompleto. Si quieres contarnos algo sobre tu visita, responde al mensaje que te enviamos.</p>
<p class="code">Código 404</p>
</section>
