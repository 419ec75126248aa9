{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}{{#SITE}} · {{NAME}}{{/SITE}}</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header class="top">
{{#PRODUCT_BRAND}}<a class="brand" href="/">Reputation Manager</a>{{/PRODUCT_BRAND}}
{{#CLINIC_BRAND}}<span class="brand">{{NAME}}</span>{{/CLINIC_BRAND}}
{{#SIGNED_IN}}
<span class="workspace">{{WORKSPACE_NAME}} · Plan {{PLAN}} · <span id="credits">{{CREDITS}}</span> créditos</span>
<span class="who">{{USER_NAME}}</span>
{{#SIMULATOR}}<a class="simulator" href="{{URL}}">Simulador de teléfono</a>{{/SIMULATOR}}
<form method="post" action="/logout" class="logout">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit">Cerrar sesión</button>
</form>
{{/SIGNED_IN}}
</header>
{{#SIGNED_IN}}
<nav aria-label="Principal">
<ul>
{{#NAV}}<li><a href="{{HREF}}"{{#CURRENT}} aria-current="page"{{/CURRENT}}>{{LABEL}}</a></li>
{{/NAV}}
</ul>
</nav>
{{/SIGNED_IN}}
<main>
{{>BODY}}
</main>
</body>
</html>
