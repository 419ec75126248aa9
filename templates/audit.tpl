{{%AUTOESCAPE context="HTML"}}
<h1>Auditoría</h1>
<form method="get" action="/audit" class="filters">
<label for="user">Usuario</label>
<select id="user" name="user">
<option value="">Todos</option>
{{#USER_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/USER_OPTION}}</select>
<label for="action">Acción</label>
<input id="action" name="action" value="{{ACTION}}" maxlength="100">
<label for="entity">Entidad</label>
<input id="entity" name="entity" value="{{ENTITY}}" maxlength="100">
<label for="from">Desde</label>
<input id="from" name="from" type="date" value="{{FROM}}">
<label for="to">Hasta</label>
<input id="to" name="to" type="date" value="{{TO}}">
<button type="submit">Filtrar</button>
</form>
<p class="hint">Las {{LIMIT}} entradas más recientes que cumplen el filtro, la más nueva primero.</p>
{{#NO_ENTRIES}}<p id="no-entries">No hay entradas con estos filtros.</p>{{/NO_ENTRIES}}
{{#HAS_ENTRIES}}<ol class="audit" id="audit-entries">
{{#ENTRY}}<li class="entry">
<p><time>{{AT}}</time> · <span class="actor">{{WHO}}</span> · <code class="action">{{ACTION}}</code> · <span class="entity">{{ENTITY}} {{ENTITY_ID}}</span> · IP {{IP}}</p>
{{#CHANGE}}<p class="change"><span class="field">{{FIELD}}</span>: <span class="old">{{OLD}}</span> → <span class="new">{{NEW}}</span></p>
{{/CHANGE}}</li>
{{/ENTRY}}</ol>{{/HAS_ENTRIES}}
