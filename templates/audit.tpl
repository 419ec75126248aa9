{{%AUTOESCAPE context="HTML"}}
<h1>Auditoría</h1>
<form method="get" action="/audit" class="filters">
<div class="field"><label for="user">Usuario</label>
<select id="user" name="user">
<option value="">Todos</option>
{{#USER_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/USER_OPTION}}</select></div>
<div class="field"><label for="action">Acción</label>
<select id="action" name="action">
<option value="">Todas</option>
{{#ACTION_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ACTION_OPTION}}</select></div>
<div class="field"><label for="entity">Sobre</label>
<select id="entity" name="entity">
<option value="">Todo</option>
{{#ENTITY_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ENTITY_OPTION}}</select></div>
<div class="field"><label for="from">Desde</label>
<input id="from" name="from" type="date" value="{{FROM}}"></div>
<div class="field"><label for="to">Hasta</label>
<input id="to" name="to" type="date" value="{{TO}}"></div>
<button type="submit">Filtrar</button>
</form>
<p class="hint">Las entradas que cumplen el filtro, la más nueva primero, de {{LIMIT}} en {{LIMIT}}.</p>
{{#NO_ENTRIES}}<p id="no-entries">No hay entradas con estos filtros.</p>
{{#FIRST_PAGE}}<p><a id="audit-first" href="/audit?user={{USER:u}}&amp;action={{ACTION:u}}&amp;entity={{ENTITY:u}}&amp;from={{FROM:u}}&amp;to={{TO:u}}">Ver las más recientes</a></p>
{{/FIRST_PAGE}}{{/NO_ENTRIES}}
{{#HAS_ENTRIES}}<ol class="audit" id="audit-entries">
{{#ENTRY}}<li class="entry">
<p><time datetime="{{AT_ISO}}">{{AT}}</time> · <span class="actor">{{WHO}}</span> · <span class="action" title="{{ACTION}}">{{ACTION_LABEL}}</span> · <span class="entity" title="{{ENTITY}}">{{ENTITY_LABEL}} {{#ENTITY_LINK}}<a href="{{HREF}}">{{ENTITY_ID}}</a>{{/ENTITY_LINK}}{{#ENTITY_TEXT}}{{ENTITY_ID}}{{/ENTITY_TEXT}}</span> · IP {{IP}}</p>
{{#CHANGE}}<p class="change"><span class="field" title="{{FIELD}}">{{FIELD_LABEL}}</span>: <span class="old">{{OLD}}</span> → <span class="new">{{NEW}}</span></p>
{{/CHANGE}}</li>
{{/ENTRY}}</ol>{{/HAS_ENTRIES}}
{{#PAGER}}<nav class="pager" aria-label="Páginas de la auditoría">
{{#NEWER}}<a id="audit-newer" rel="prev" href="/audit?user={{USER:u}}&amp;action={{ACTION:u}}&amp;entity={{ENTITY:u}}&amp;from={{FROM:u}}&amp;to={{TO:u}}&amp;after={{AFTER:u}}">← Anteriores (más recientes)</a>
{{/NEWER}}{{#OLDER}}<a id="audit-older" rel="next" href="/audit?user={{USER:u}}&amp;action={{ACTION:u}}&amp;entity={{ENTITY:u}}&amp;from={{FROM:u}}&amp;to={{TO:u}}&amp;before={{BEFORE:u}}">Siguientes (más antiguas) →</a>
{{/OLDER}}</nav>{{/PAGER}}
