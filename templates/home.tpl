{{%AUTOESCAPE context="HTML"}}
<h1>Hola, {{USER_NAME}}</h1>
<section class="figures" aria-label="Resumen">
<div class="figure"><span class="label">Consultorio</span><span class="value" id="workspace-name">{{WORKSPACE_NAME}}</span></div>
<div class="figure"><span class="label">Plan</span><span class="value" id="plan">{{PLAN}}</span></div>
<div class="figure"><span class="label">Créditos de mensajes</span><span class="value" id="credits-left">{{CREDITS}}</span></div>
{{#REPORTS}}<div class="figure"><span class="label">Consultorios</span><span class="value" id="practices-count">{{PRACTICES}}</span></div>
<div class="figure"><span class="label">Campañas activas</span><span class="value" id="active-campaigns">{{ACTIVE_CAMPAIGNS}}</span></div>
<div class="figure"><span class="label">Pacientes</span><span class="value" id="patients-count">{{PATIENTS}}</span></div>
<div class="figure"><span class="label">Solicitudes enviadas (30 días)</span><span class="value" id="sent-30d">{{SENT_30D}}</span></div>
<div class="figure"><span class="label">Calificación promedio</span><span class="value" id="avg-rating">{{AVG_RATING}}</span></div>
<div class="figure"><span class="label">NPS de este mes</span><span class="value" id="month-nps">{{MONTH_NPS}}</span></div>
<div class="figure"><span class="label">Conversión de este mes (%)</span><span class="value" id="month-conversion">{{MONTH_CONVERSION}}</span></div>{{/REPORTS}}
</section>
{{#REPORTS}}<section class="alerts" aria-label="Avisos" id="alerts">
<h2>Avisos</h2>
<ul>
{{#LOW_CREDITS}}<li class="alert" id="alert-credits">Quedan pocos créditos de mensajes (menos de {{LOW_CREDITS_LIMIT}}): cuando se acaben, no saldrán más solicitudes.</li>
{{/LOW_CREDITS}}{{#WAITING}}<li class="alert waiting"><a href="/campaigns/{{ID}}">{{NAME}}</a>: {{#NO_PRACTICE}}le falta un consultorio (sin él no hay enlace de reseña).{{/NO_PRACTICE}}{{#NO_TEMPLATE}}falta la plantilla predeterminada de solicitud de calificación.{{/NO_TEMPLATE}}</li>
{{/WAITING}}{{>FEEDBACK_ALERTS}}{{#MORE_ALERTS}}<li class="alert more-alerts"><a id="more-alerts" href="/alerts">y {{#OVER}}más de {{/OVER}}{{N}} más</a></li>
{{/MORE_ALERTS}}<li class="alert-none">Aquí aparecen los avisos de créditos, de campañas detenidas y de comentarios de pacientes.</li>
</ul>
</section>
<section class="activity" aria-label="Actividad reciente">
<h2>Actividad reciente</h2>
{{#NO_ACTIVITY}}<p id="no-activity">Todavía no hay mensajes entregados ni respondidos.</p>{{/NO_ACTIVITY}}
{{#HAS_ACTIVITY}}<table id="activity">
<thead><tr><th scope="col">Paciente</th><th scope="col">Campaña</th><th scope="col">Mensaje</th><th scope="col">Estado</th><th scope="col">Calificación</th><th scope="col">Cuándo</th></tr></thead>
<tbody>
{{#ACTIVITY}}<tr><td>{{PATIENT}}</td><td>{{CAMPAIGN}}</td><td>{{TYPE}}</td><td>{{STATUS}}</td><td>{{RATING}}</td><td>{{AT}}</td></tr>
{{/ACTIVITY}}</tbody>
</table>{{/HAS_ACTIVITY}}
</section>{{/REPORTS}}
