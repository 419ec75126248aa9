{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{TITLE}}</h1>
<p class="notice" role="status">Tu contraseña quedó guardada. Ya puedes entrar con {{EMAIL}}.</p>
<p><a href="/login">Iniciar sesión</a></p>
</section>
