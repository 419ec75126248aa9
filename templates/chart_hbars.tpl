{{%AUTOESCAPE context="HTML"}}
<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{W}} {{H}}" role="img" aria-label="{{TITLE}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
{{#BAR}}<rect x="{{X}}" y="{{Y}}" width="{{BW}}" height="{{BH}}" fill="#2e5b7d"><title>{{LABEL}}: {{VALUE}}</title></rect>
<text x="{{LX}}" y="{{TY}}" text-anchor="end" font-size="12">{{LABEL}}</text>
<text x="{{VX}}" y="{{TY}}" font-size="12">{{VALUE}}</text>
{{/BAR}}</svg>
<figcaption>{{TITLE}}</figcaption>
<table class="chart-data">
<thead><tr><th scope="col">Etapa</th><th scope="col">Mensajes</th></tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row">{{LABEL}}</th><td>{{VALUE}}</td></tr>
{{/ROW}}{{#EMPTY}}<tr><td colspan="2">Sin datos en el período</td></tr>
{{/EMPTY}}</tbody>
</table>
</figure>
