// The API documentation page (/api/v1/docs/): Swagger UI over the project's own schema.
// A file rather than an inline script, for the site's Content-Security-Policy.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    supportedSubmitMethods: ["get", "head"],
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
  });
});
