{{%AUTOESCAPE context="HTML"}}
<h1>Reportes</h1>
<form method="get" action="/reports" class="filters">
<div class="field"><label for="range">Período</label>
<select id="range" name="range">
{{#RANGE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/RANGE_OPTION}}</select></div>
<div class="field"><label for="from">Desde</label>
<input id="from" name="from" type="date" value="{{FROM}}"></div>
<div class="field"><label for="to">Hasta</label>
<input id="to" name="to" type="date" value="{{TO}}"></div>
<div class="field"><label for="practice">Consultorio</label>
<select id="practice" name="practice">
<option value="">Todos</option>
{{#PRACTICE_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/PRACTICE_OPTION}}</select></div>
<div class="field"><label for="campaign">Campaña</label>
<select id="campaign" name="campaign">
<option value="">Todas</option>
{{#CAMPAIGN_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/CAMPAIGN_OPTION}}</select></div>
<div class="field"><label for="channel">Canal</label>
<select id="channel" name="channel">
<option value="">Todos</option>
{{#CHANNEL_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/CHANNEL_OPTION}}</select></div>
<button type="submit">Ver</button>
<p class="hint">Las fechas se usan con «Personalizado»; los días son los de la zona horaria de cada consultorio.</p>
</form>
<p class="range">Del <time id="range-from" datetime="{{FROM}}">{{FROM_SHOWN}}</time> al <time id="range-to" datetime="{{TO}}">{{TO_SHOWN}}</time></p>
<section class="figures" aria-label="Resumen del período">
<div class="figure"><span class="label">NPS</span><span class="value" id="nps">{{NPS}}</span></div>
<div class="figure"><span class="label">Promotores (4-5)</span><span class="value" id="promoters">{{PROMOTERS}}</span></div>
<div class="figure"><span class="label">Pasivos (3)</span><span class="value" id="passives">{{PASSIVES}}</span></div>
<div class="figure"><span class="label">Detractores (1-2)</span><span class="value" id="detractors">{{DETRACTORS}}</span></div>
<div class="figure"><span class="label">Conversión (%)</span><span class="value" id="conversion">{{CONVERSION}}</span></div>
<div class="figure"><span class="label">Entrega (%)</span><span class="value" id="delivery-rate">{{DELIVERY_RATE}}</span></div>
<div class="figure"><span class="label">Clics en reseña (%)</span><span class="value" id="click-through">{{CLICK_THROUGH}}</span></div>
</section>
<section class="charts" aria-label="Gráficos">
{{>RATINGS_CHART}}
{{>NPS_CHART}}
{{>FUNNEL_CHART}}
</section>
<h2>Por campaña y por canal</h2>
<table id="report-table">
<thead><tr><th scope="col">Grupo</th><th scope="col">Enviados</th><th scope="col">Entregados</th><th scope="col">Respondidos</th><th scope="col">Conversión (%)</th><th scope="col">Entrega (%)</th><th scope="col">Clics en reseña</th><th scope="col">Calificaciones</th><th scope="col">NPS</th></tr></thead>
<tbody>
{{#CAMPAIGN_ROW}}<tr class="campaign"><th scope="row">Campaña: {{NAME}}</th><td>{{SENT}}</td><td>{{DELIVERED}}</td><td>{{REPLIED}}</td><td>{{CONVERSION}}</td><td>{{DELIVERY_RATE}}</td><td>{{HAPPY_CLICKED}}</td><td>{{RATED}}</td><td>{{NPS}}</td></tr>
{{/CAMPAIGN_ROW}}{{#CHANNEL_ROW}}<tr class="channel"><th scope="row">Canal: {{NAME}}</th><td>{{SENT}}</td><td>{{DELIVERED}}</td><td>{{REPLIED}}</td><td>{{CONVERSION}}</td><td>{{DELIVERY_RATE}}</td><td>{{HAPPY_CLICKED}}</td><td>{{RATED}}</td><td>{{NPS}}</td></tr>
{{/CHANNEL_ROW}}<tr class="total"><th scope="row">Total</th><td>{{SENT}}</td><td>{{DELIVERED}}</td><td>{{REPLIED}}</td><td>{{CONVERSION}}</td><td>{{DELIVERY_RATE}}</td><td>{{HAPPY_CLICKED}}</td><td>{{RATED}}</td><td>{{NPS}}</td></tr>
</tbody>
</table>
<p class="exports">Descargar:
<a href="/reports/table.csv?range={{RANGE:u}}&amp;from={{FROM:u}}&amp;to={{TO:u}}&amp;practice={{PRACTICE:u}}&amp;campaign={{CAMPAIGN:u}}&amp;channel={{CHANNEL:u}}">esta tabla (CSV)</a> ·
<a href="/reports/messages.csv?range={{RANGE:u}}&amp;from={{FROM:u}}&amp;to={{TO:u}}&amp;practice={{PRACTICE:u}}&amp;campaign={{CAMPAIGN:u}}&amp;channel={{CHANNEL:u}}">los mensajes del período (CSV)</a></p>
