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
{{#UCS2}}<p id="sms-encoding">Codificación UCS-2: 70 caracteres en un mensaje, 67 por parte si se divide.{{#OWN_FORCED}} La fuerzan estos caracteres de su texto, que GSM-7 no tiene:{{/OWN_FORCED}}{{#FORCED}} <code>{{CHAR}}</code>{{/FORCED}}{{#OWN_FORCED}}. Cambiarlos (por ejemplo ó por o) permite más texto por parte.{{/OWN_FORCED}}{{#OWN_GSM7}} Su texto cabe en GSM-7: la fuerzan los datos de ejemplo.{{/OWN_GSM7}}</p>
{{#SAMPLE_FORCED}}<p id="sms-sample-forced">Caracteres de los datos de ejemplo que GSM-7 no tiene (un nombre real también puede traerlos):{{#CHAR_SAMPLE}} <code>{{CHAR}}</code>{{/CHAR_SAMPLE}}</p>
{{/SAMPLE_FORCED}}{{#FORCED_MORE}}<p>Y otros caracteres más.</p>
{{/FORCED_MORE}}
{{/UCS2}}
{{#SPLIT}}<p>El mensaje se envía en varias partes: cada una cuenta como un SMS.</p>
{{/SPLIT}}
{{#WHATSAPP}}<p>Por WhatsApp se envía la plantilla aprobada «{{NAME}}» ({{LANGUAGE}}) con estos mismos valores.</p>
{{/WHATSAPP}}
</section>
{{/PREVIEW}}
