{{%AUTOESCAPE context="HTML"}}
<h1>Hola, {{USER_NAME}}</h1>
<section class="figures" aria-label="Resumen">
<div class="figure"><span class="label">Consultorio</span><span class="value" id="workspace-name">{{WORKSPACE_NAME}}</span></div>
<div class="figure"><span class="label">Plan</span><span class="value" id="plan">{{PLAN}}</span></div>
<div class="figure"><span class="label">Créditos de mensajes</span><span class="value" id="credits-left">{{CREDITS}}</span></div>
<div class="figure"><span class="label">Consultorios</span><span class="value">{{PRACTICES}}</span></div>
<div class="figure"><span class="label">Campañas activas</span><span class="value">{{ACTIVE_CAMPAIGNS}}</span></div>
<div class="figure"><span class="label">Pacientes</span><span class="value">{{PATIENTS}}</span></div>
<div class="figure"><span class="label">Mensajes enviados (30 días)</span><span class="value">{{SENT_30D}}</span></div>
<div class="figure"><span class="label">Calificación promedio</span><span class="value">{{AVG_RATING}}</span></div>
</section>
