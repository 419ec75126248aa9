{{%AUTOESCAPE context="HTML"}}
<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{W}} {{H}}" role="img" aria-label="{{TITLE}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<line x1="{{X0}}" y1="{{BASE_Y}}" x2="{{X1}}" y2="{{BASE_Y}}" stroke="#888"></line>
{{#BAR}}<rect x="{{X}}" y="{{Y}}" width="{{BW}}" height="{{BH}}" fill="#2e7d5b"><title>{{LABEL}}: {{VALUE}}</title></rect>
<text x="{{CX}}" y="{{LY}}" text-anchor="middle" font-size="12">{{LABEL}}</text>
<text x="{{CX}}" y="{{VY}}" text-anchor="middle" font-size="12">{{VALUE}}</text>
{{/BAR}}</svg>
<figcaption>{{TITLE}}</figcaption>
<table class="chart-data">
<thead><tr><th scope="col">Valor</th><th scope="col">Cantidad</th></tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row">{{LABEL}}</th><td>{{VALUE}}</td></tr>
{{/ROW}}{{#EMPTY}}<tr><td colspan="2">Sin datos en el período</td></tr>
{{/EMPTY}}</tbody>
</table>
</figure>
