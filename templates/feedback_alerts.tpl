{{%AUTOESCAPE context="HTML"}}
{{#ALERT}}<li class="alert feedback-alert" id="feedback-{{ID}}">
<p><strong>Calificación {{RATING}} de 5</strong> · {{PATIENT}} · {{AT}}</p>
<blockquote>{{BODY}}</blockquote>
<form method="post" action="/alerts/{{ID}}/resolve">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Marcar como resuelto</button>
</form>
</li>
{{/ALERT}}
