{{%AUTOESCAPE context="HTML"}}
<section class="error">
<h1>{{TITLE}}</h1>
<p>{{MESSAGE}}</p>
<p class="code">Código {{STATUS}}</p>
<p><a href="/">Volver al inicio</a></p>
</section>
