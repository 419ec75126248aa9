{{%AUTOESCAPE context="HTML"}}
<section class="card narrow patient">
<h1>Gracias por contarnos</h1>
<p class="notice">Recibimos tu comentario. El equipo de <strong>{{PRACTICE}}</strong> lo leerá y se pondrá en contacto contigo si hace falta.</p>
{{#REVIEW}}<p>Si además quieres dejar una reseña pública, puedes hacerlo en Google:</p>
<p><a class="button" href="{{HREF}}">Escribir una reseña en Google</a></p>{{/REVIEW}}
</section>
