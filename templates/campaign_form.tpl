{{%AUTOESCAPE context="HTML"}}
<section class="card">
<h1>{{TITLE}}</h1>
{{#FORM_ERRORS}}<p class="alert" role="alert">{{MESSAGE}}</p>
{{/FORM_ERRORS}}
{{#NO_PRACTICE}}<p class="alert" role="alert">Para crear una campaña primero hace falta un consultorio: de él salen la zona horaria, el horario de envío y el enlace de reseñas de Google.</p>
{{#CAN_CREATE}}<p><a class="button" href="/practices/new">Crear un consultorio</a></p>
{{/CAN_CREATE}}
{{#ASK_OWNER}}<p>Pide al propietario de la cuenta que cree uno en <a href="/practices">Consultorios</a>.</p>
{{/ASK_OWNER}}
{{/NO_PRACTICE}}
{{#FORM}}<form method="post" action="{{ACTION}}">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="name">Nombre</label>
<input id="name" name="name" value="{{NAME}}" required maxlength="200">
{{#ERR_name}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_name}}
<label for="description">Descripción</label>
<textarea id="description" name="description" rows="3" maxlength="2000">{{DESCRIPTION}}</textarea>
{{#ERR_description}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_description}}
{{#DRAFT}}<label for="practice_id">Consultorio</label>
<select id="practice_id" name="practice_id" required>
{{#PRACTICE}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/PRACTICE}}
</select>
{{#ERR_practice_id}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_practice_id}}
<label for="scheduled_hours_after">Horas después de la cita para pedir la calificación</label>
<input id="scheduled_hours_after" name="scheduled_hours_after" type="number" min="0" max="720" value="{{HOURS}}" required>
{{#ERR_scheduled_hours_after}}<span class="field-error">{{MESSAGE}}</span>{{/ERR_scheduled_hours_after}}
{{/DRAFT}}
{{#FROZEN}}<p>Consultorio: <strong>{{PRACTICE_NAME}}</strong>. Horas después de la cita: <strong>{{HOURS}}</strong>.</p>
<p>El consultorio y las horas solo pueden cambiarse mientras la campaña está en borrador.</p>
{{/FROZEN}}
<button type="submit">Guardar</button>
</form>
<p><a href="{{BACK}}">Volver</a></p>
{{/FORM}}
</section>
