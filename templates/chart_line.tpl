{{%AUTOESCAPE context="HTML"}}
<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{W}} {{H}}" role="img" aria-label="{{TITLE}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<line x1="{{X0}}" y1="{{Y_TOP}}" x2="{{X1}}" y2="{{Y_TOP}}" stroke="#ddd"></line>
<line x1="{{X0}}" y1="{{Y_ZERO}}" x2="{{X1}}" y2="{{Y_ZERO}}" stroke="#888"></line>
<line x1="{{X0}}" y1="{{Y_BOTTOM}}" x2="{{X1}}" y2="{{Y_BOTTOM}}" stroke="#ddd"></line>
<text x="{{LABEL_X}}" y="{{Y_TOP}}" text-anchor="end" font-size="11">100</text>
<text x="{{LABEL_X}}" y="{{Y_ZERO}}" text-anchor="end" font-size="11">0</text>
<text x="{{LABEL_X}}" y="{{Y_BOTTOM}}" text-anchor="end" font-size="11">-100</text>
<polyline points="{{POINTS}}" fill="none" stroke="#2e7d5b" stroke-width="2"></polyline>
{{#POINT}}<circle cx="{{X}}" cy="{{Y}}" r="3" fill="#2e7d5b"><title>{{LABEL}}: {{VALUE}}</title></circle>
{{/POINT}}{{#TICK}}<text x="{{X}}" y="{{Y}}" text-anchor="middle" font-size="10">{{LABEL}}</text>
{{/TICK}}</svg>
<figcaption>{{TITLE}}</figcaption>
<table class="chart-data">
<thead><tr><th scope="col">Semana</th><th scope="col">NPS</th></tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row">{{LABEL}}</th><td>{{VALUE}}</td></tr>
{{/ROW}}{{#EMPTY}}<tr><td colspan="2">Sin datos en el período</td></tr>
{{/EMPTY}}</tbody>
</table>
</figure>
