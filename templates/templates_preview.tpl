{{%AUTOESCAPE context="HTML"}}
{{#GATING_WARNING}}<p class="alert" role="alert" id="gating-warning">Esta plantilla de disculpa no incluye {{REVIEW_LINK_VAR}}. Google prohíbe pedir reseñas solo a los pacientes contentos: ofrezca también el enlace público además del formulario privado. Puede guardarla así, pero le recomendamos añadirlo.</p>
{{/GATING_WARNING}}
{{#PREVIEW}}<section class="preview" id="preview" aria-labelledby="preview-title">
<h2 id="preview-title">Vista previa con datos de ejemplo</h2>
<pre class="message" id="preview-text">{{TEXT}}</pre>
<p>Variables usadas: {{VARIABLES}}.</p>
<p id="sms-figures">Como SMS: {{CHARS}} caracteres, {{SEGMENTS}} parte(s) de hasta {{PER_SEGMENT}} ({{UNITS}} unidades).</p>
{{#GSM7}}<p id="sms-encoding">Codificación GSM-7: 160 caracteres en un mensaje, 153 por parte si se divide; ^ {} [ ] ~ | \ y € cuentan doble.</p>
{{/GSM7}}
{{#UCS2}}<p id="sms-encoding">Codificación UCS-2: 70 caracteres en un mensaje, 67 por parte si se divide. La fuerzan estos caracteres, que GSM-7 no tiene:{{#FORCED}} <code>{{CHAR}}</code>{{/FORCED}}{{#FORCED_MORE}} y otros{{/FORCED_MORE}}. Cambiarlos (por ejemplo ó por o) permite más texto por parte.</p>
{{/UCS2}}
{{#SPLIT}}<p>El mensaje se envía en varias partes: cada una cuenta como un SMS.</p>
{{/SPLIT}}
{{#WHATSAPP}}<p>Por WhatsApp se envía la plantilla aprobada «{{NAME}}» ({{LANGUAGE}}) con estos mismos valores.</p>
{{/WHATSAPP}}
</section>
{{/PREVIEW}}
