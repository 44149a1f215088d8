// The intake form's small helpers: show the product record's category and flags, ask only the
// questions that apply, and check coverage on the date of service as it is typed. Everything
// also works without this script: the server validates and shows every section.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var catalog = JSON.parse(document.getElementById("product-catalog-data").textContent);
  var cellCategories = ["car_t", "tcr_t", "til"];
  var geneCategories = ["gene_therapy", "cell_based_gene_therapy"];

  function checked(name) {
    var input = form.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : "";
  }

  function show(id, visible) {
    var element = document.getElementById(id);
    if (element) { element.hidden = !visible; }
  }

  function productRecord() {
    var text = (form.elements.product.value || "").trim().toLowerCase();
    for (var code in catalog) {
      var p = catalog[code];
      if (code.toLowerCase() === text || p.brand.toLowerCase() === text || p.generic.toLowerCase() === text) {
        return Object.assign({hcpcs: code}, p);
      }
    }
    return null;
  }

  function renderCard(product) {
    var card = document.getElementById("product-card");
    if (!card) { return; }
    card.classList.toggle("d-none", !product);
    if (!product) { return; }
    var values = {
      name: product.brand + " (" + product.generic + ")",
      hcpcs: product.hcpcs,
      category_label: product.category_label,
      benefit: product.benefit,
      requires_prior_auth: product.requires_prior_auth ? "Prior authorization required" : "No prior authorization required",
      genetically_modified: product.genetically_modified ? "Genetically modified" : "Not genetically modified"
    };
    card.querySelectorAll("[data-field]").forEach(function (el) { el.textContent = values[el.dataset.field]; });
  }

  function update() {
    var transplant = checked("service") === "transplant";
    var product = transplant ? null : productRecord();
    var category = transplant ? "stem_cell_transplant" : (product ? product.category : "");
    show("product-picker", !transplant);
    show("transplant-question", transplant);
    renderCard(product);
    show("car-t-facts", cellCategories.indexOf(category) >= 0);
    show("gene-facts", geneCategories.indexOf(category) >= 0);
    show("expedited-statement", checked("urgency") === "expedited");
  }

  function updateCoverage() {
    var panel = document.getElementById("eligibility");
    var line = document.getElementById("coverage-on-dos");
    var day = form.elements.date_of_service.value;
    if (!panel || !line || !day) { return; }
    var periods = JSON.parse(panel.dataset.coverage || "[]");
    var active = periods.some(function (p) { return p.start <= day && day <= p.end; });
    var parts = day.split("-");
    var shown = parts.length === 3 ? parts[1] + "/" + parts[2] + "/" + parts[0] : day;
    var badge = document.createElement("span");
    badge.className = "badge " + (active ? "text-bg-success" : "text-bg-danger");
    badge.textContent = active ? "Coverage active" : "Coverage not active";
    line.replaceChildren(badge, document.createTextNode(
      active ? " on " + shown : " on " + shown + ": the request would go to an eligibility review."));
    show("eligibility-override", !active);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.elements.date_of_service.addEventListener("change", updateCoverage);
  update();
  updateCoverage();
  if (!form.elements.date_of_service.value) { show("eligibility-override", false); }
})();
