{{%AUTOESCAPE context="HTML"}}
<section class="card">
<h1>{{TITLE}}</h1>
{{#SAVED}}<p class="notice" role="status">Plantilla guardada.</p>
{{/SAVED}}
{{#IS_DEFAULT}}<p><strong class="badge">Predeterminada</strong> Es la que se envía para este tipo de mensaje.</p>
{{/IS_DEFAULT}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<form method="post" action="{{ACTION}}" id="template-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
{{#EDITING}}<input type="hidden" name="id" value="{{ID}}">
{{/EDITING}}
{{#TYPE_FIXED}}<input type="hidden" name="type" value="{{TYPE}}">
<p>Tipo: <strong>{{TYPE_LABEL}}</strong>. {{TYPE_WHEN}}</p>
{{/TYPE_FIXED}}
{{#TYPE_CHOICE}}<label for="type">Tipo de mensaje</label>
<select id="type" name="type" required>
{{#OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OPTION}}
</select>
{{/TYPE_CHOICE}}
{{#ERR_type}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_type}}
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="200">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="description">Descripción (opcional)</label>
<input id="description" name="description" value="{{DESCRIPTION}}" maxlength="500">
{{#ERR_description}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_description}}
<label for="content">Texto del mensaje</label>
<textarea id="content" name="content" rows="6" cols="60" required maxlength="4096">{{CONTENT}}</textarea>
<small>Variables: {{VARS_HELP}}. Se distinguen mayúsculas y minúsculas.</small>
{{#ERR_content}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_content}}
{{#WHATSAPP_FIELDS}}<fieldset>
<legend>{{LEGEND}}</legend>
<small>Fuera de la ventana de 24 horas WhatsApp solo acepta plantillas aprobadas por Meta: escriba su nombre y su idioma tal como fueron aprobados.</small>
<label for="whatsapp_template_name">Nombre de la plantilla aprobada</label>
<input id="whatsapp_template_name" name="whatsapp_template_name" value="{{WHATSAPP_TEMPLATE_NAME}}" maxlength="512">
{{#ERR_whatsapp_template_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_whatsapp_template_name}}
<label for="whatsapp_language">Idioma (código de WhatsApp, por ejemplo es)</label>
<input id="whatsapp_language" name="whatsapp_language" value="{{WHATSAPP_LANGUAGE}}" maxlength="15">
{{#ERR_whatsapp_language}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_whatsapp_language}}
</fieldset>
{{/WHATSAPP_FIELDS}}
<button type="submit">Guardar</button>
<button type="submit" formaction="/templates/preview" id="preview-button">Vista previa</button>
</form>
{{#ACTIONS}}<form method="post" action="{{DEFAULT_ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Hacer predeterminada</button>
</form>
<form method="post" action="{{DELETE_ACTION}}" class="danger">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Eliminar plantilla</button>
</form>
{{/ACTIONS}}
{{>PREVIEW}}
<p><a href="/templates">Volver a plantillas</a></p>
</section>
