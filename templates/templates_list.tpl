{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
{{#SAVED}}<p class="notice" role="status">Plantilla guardada.</p>
{{/SAVED}}
{{#DELETED}}<p class="notice" role="status">Plantilla eliminada.</p>
{{/DELETED}}
{{#DEFAULT_SET}}<p class="notice" role="status">Plantilla predeterminada cambiada.</p>
{{/DEFAULT_SET}}
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
<p>Cada tipo de mensaje tiene una plantilla predeterminada: es la que se envía. Las variables se escriben entre llaves dobles: {{VARS_HELP}}.</p>
{{#CAN_CREATE}}<p><a class="button" href="/templates/new">Nueva plantilla</a></p>
{{/CAN_CREATE}}
{{#EMPTY}}<p>Aún no hay plantillas.</p>
{{/EMPTY}}
{{#PAST_END}}<p>No hay más plantillas. <a href="/templates">Volver a la primera página</a></p>
{{/PAST_END}}
{{#GROUP}}<section class="template-group" id="tipo-{{TYPE}}">
<h2>{{LABEL}}</h2>
<p>{{WHEN}}</p>
<table class="list">
<thead><tr><th scope="col">Nombre</th><th scope="col">Variables</th><th scope="col">SMS</th><th scope="col">WhatsApp</th><th scope="col">Acciones</th></tr></thead>
<tbody>
{{#TEMPLATE}}<tr>
<td><a href="{{HREF}}">{{NAME}}</a>{{#DEFAULT}} <strong class="badge">Predeterminada</strong>{{/DEFAULT}}{{#GATING_WARNING}} <span class="warning">Sin {{REVIEW_LINK_VAR}}</span>{{/GATING_WARNING}}{{#DESCRIPTION}}<br><small>{{TEXT}}</small>{{/DESCRIPTION}}</td>
<td>{{VARIABLES}}</td>
<td>{{#SMS}}{{SEGMENTS}} parte(s), {{ENCODING}}{{/SMS}}</td>
<td>{{#WHATSAPP}}{{NAME}}{{/WHATSAPP}}</td>
<td>{{#ACTIONS}}<form method="post" action="{{DEFAULT_ACTION}}" class="inline">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Hacer predeterminada</button>
</form>
<form method="post" action="{{DELETE_ACTION}}" class="inline danger">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Eliminar</button>
</form>{{/ACTIONS}}</td>
</tr>
{{/TEMPLATE}}
</tbody>
</table>
</section>
{{/GROUP}}
{{#PAGER}}<nav class="pager" aria-label="Páginas">{{#PREV}}<a href="{{HREF}}" rel="prev">Anterior</a> {{/PREV}}<span>Página {{PAGE}} de {{PAGES}}</span>{{#NEXT}} <a href="{{HREF}}" rel="next">Siguiente</a>{{/NEXT}}</nav>
{{/PAGER}}
