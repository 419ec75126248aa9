{{%AUTOESCAPE context="HTML"}}
<section class="card">
<h1>{{TITLE}}</h1>
{{#IS_DEFAULT}}<p><strong class="badge">Predeterminada</strong> Es la que se envía para este tipo de mensaje.</p>
{{/IS_DEFAULT}}
<dl>
<dt>Nombre</dt><dd>{{NAME}}</dd>
<dt>Tipo</dt><dd>{{TYPE_LABEL}}</dd>
{{#HAS_DESCRIPTION}}<dt>Descripción</dt><dd>{{DESCRIPTION}}</dd>
{{/HAS_DESCRIPTION}}
<dt>Texto</dt><dd><pre class="message">{{CONTENT}}</pre></dd>
{{#WHATSAPP}}<dt>Plantilla de WhatsApp</dt><dd>{{WHATSAPP_TEMPLATE_NAME}} ({{WHATSAPP_LANGUAGE}})</dd>
{{/WHATSAPP}}
</dl>
<p>Solo el propietario de la cuenta puede cambiar las plantillas.</p>
{{>PREVIEW}}
<p><a href="/templates">Volver a plantillas</a></p>
</section>
