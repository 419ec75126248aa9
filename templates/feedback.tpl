{{%AUTOESCAPE context="HTML"}}
<section class="card narrow patient">
<h1>Cuéntanos qué pasó</h1>
<p>Tu opinión llega directamente a <strong>{{PRACTICE}}</strong> y no se publica.</p>
{{#EDITING}}<p class="notice">Ya recibimos tu comentario. Puedes corregirlo y enviarlo de nuevo.</p>{{/EDITING}}
{{#FORM_ERRORS}}<p class="alert">{{MESSAGE}}</p>{{/FORM_ERRORS}}
<form method="post" action="{{ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="body">¿Qué podríamos haber hecho mejor?</label>
<textarea id="body" name="body" rows="7" maxlength="2000" required>{{BODY_TEXT}}</textarea>
{{#ERR_body}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_body}}
<button type="submit">Enviar comentario</button>
</form>
{{#REVIEW}}<p class="aside">¿Prefieres contarlo en público? También puedes <a href="{{HREF}}">escribir una reseña en Google</a>.</p>{{/REVIEW}}
</section>
