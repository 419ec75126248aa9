{{%AUTOESCAPE context="HTML"}}
<h1>{{TITLE}}</h1>
<p class="actions"><a href="/patients/new">Nuevo paciente</a> · <a href="/patients/import">Importar CSV</a></p>
<form method="get" action="/patients" class="filters" role="search">
<div class="field search"><label for="q">Buscar por nombre o teléfono</label>
<input id="q" name="q" type="search" value="{{Q}}" maxlength="100" aria-describedby="q-help">
<small id="q-help">El comienzo de cada palabra del nombre basta («gar per»); un teléfono, completo, con sus primeras o con sus últimas cifras.</small></div>
<div class="field"><label for="campaign">Campaña</label>
<select id="campaign" name="campaign">
<option value="">Todas</option>
{{#CAMPAIGNS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/CAMPAIGNS}}
</select></div>
<div class="field"><label for="consent">Consentimiento</label>
<select id="consent" name="consent">
<option value="">Todos</option>
<option value="yes"{{#consent_yes}} selected{{/consent_yes}}>Con consentimiento</option>
<option value="no"{{#consent_no}} selected{{/consent_no}}>Sin consentimiento</option>
</select></div>
<div class="field"><label for="opted_out">Bajas</label>
<select id="opted_out" name="opted_out">
<option value="">Todos</option>
<option value="yes"{{#opted_out_yes}} selected{{/opted_out_yes}}>Dados de baja</option>
<option value="no"{{#opted_out_no}} selected{{/opted_out_no}}>No dados de baja</option>
</select></div>
<div class="field"><label for="replied">Respuestas</label>
<select id="replied" name="replied">
<option value="">Todos</option>
<option value="yes"{{#replied_yes}} selected{{/replied_yes}}>Respondieron</option>
<option value="no"{{#replied_no}} selected{{/replied_no}}>No respondieron</option>
</select></div>
<button type="submit">Filtrar</button>
</form>
{{#EMPTY}}<p class="notice" role="status">No hay pacientes que coincidan.</p>
{{/EMPTY}}
<table class="list" id="patients">
<thead><tr><th scope="col">Nombre</th><th scope="col">Teléfono</th><th scope="col">Correo</th><th scope="col">Campaña</th><th scope="col">Cita</th><th scope="col">Consentimiento</th><th scope="col">Estado</th></tr></thead>
<tbody>
{{#PATIENT}}<tr><td><a href="/patients/{{ID}}">{{NAME}}</a></td><td>{{PHONE}}</td><td>{{EMAIL}}</td><td>{{CAMPAIGN}}</td><td>{{APPOINTMENT}}</td><td>{{CONSENT}}</td><td>{{#OPTED_OUT}}Dado de baja {{/OPTED_OUT}}{{#ERASED}}Datos borrados{{/ERASED}}</td></tr>
{{/PATIENT}}
</tbody>
</table>
<nav class="pager" aria-label="Páginas">
{{#PREV}}<a rel="prev" href="/patients?q={{Q:u}}&amp;campaign={{CAMPAIGN:u}}&amp;consent={{consent:u}}&amp;opted_out={{opted_out:u}}&amp;replied={{replied:u}}&amp;page={{PREV_PAGE}}">Anterior</a>{{/PREV}}
<span>Página {{PAGE}}</span>
{{#NEXT}}<a rel="next" href="/patients?q={{Q:u}}&amp;campaign={{CAMPAIGN:u}}&amp;consent={{consent:u}}&amp;opted_out={{opted_out:u}}&amp;replied={{replied:u}}&amp;page={{NEXT_PAGE}}">Siguiente</a>{{/NEXT}}
</nav>
