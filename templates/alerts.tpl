{{%AUTOESCAPE context="HTML"}}
<h1>Comentarios por resolver</h1>
<p class="hint">Comentarios privados de pacientes que calificaron de 1 a 3 y que nadie ha marcado como resueltos, el más nuevo primero, de {{PAGE}} en {{PAGE}}.</p>
{{#NO_ALERTS}}<p id="no-alerts">No hay comentarios por resolver.</p>{{/NO_ALERTS}}
{{#HAS_ALERTS}}<ul class="alerts" id="alert-list">
{{>FEEDBACK_ALERTS}}</ul>{{/HAS_ALERTS}}
<nav class="pager" aria-label="Páginas de comentarios">
{{#NEWEST}}<a id="alerts-newest" href="/alerts">← Los más recientes</a>
{{/NEWEST}}{{#OLDER}}<a id="alerts-older" rel="next" href="/alerts?before={{BEFORE:u}}">Siguientes (más antiguos) →</a>
{{/OLDER}}<a href="/">Volver al inicio</a>
</nav>
