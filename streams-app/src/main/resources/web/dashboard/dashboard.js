// The operator's dashboard: every figure comes from the engine's API (/v1/), with the key the user gives.
// A link may carry #key=...&org=...&customer=... so that a page opened from the demo shows everything at once.
(function () {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const keyInput = document.getElementById("key");
  const orgSelect = document.getElementById("org");
  const grainSelect = document.getElementById("grain");
  const status = document.getElementById("status");
  const charts = {};
  keyInput.value = fragment.get("key") || sessionStorage.getItem("loyalty-api-key") || "";

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { "X-Api-Key": keyInput.value } });
    const body = await response.json();
    if (!response.ok) {
      throw new Error((body.reasonCode || response.status) + ": " + (body.detail || ""));
    }
    return body;
  }

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function percent(value) {
    return value === null || value === undefined ? "–" : (Number(value) * 100).toFixed(1) + " %";
  }

  function render(id, option, points) {
    const element = document.getElementById(id);
    if (!charts[id]) {
      charts[id] = echarts.init(element);
    }
    charts[id].setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 56, right: 56, top: 36, bottom: 40 } },
      option), true);
    element.dataset.points = String(points);
  }

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "–" : String(value);
    return span.innerHTML;
  }

  function card(label, value, detail) {
    return '<div class="card"><div class="label">' + text(label) + '</div><div class="value">' + text(value) + "</div>"
      + (detail ? '<div class="detail">' + text(detail) + "</div>" : "") + "</div>";
  }

  async function loadOrganizations() {
    const programs = await api("/v1/organizations");
    const wanted = fragment.get("org") || orgSelect.value;
    orgSelect.innerHTML = programs.map(p => "<option>" + text(p.organizationId) + "</option>").join("");
    if (programs.some(p => p.organizationId === wanted)) {
      orgSelect.value = wanted;
    }
    return programs;
  }

  function showProgram(program) {
    document.getElementById("program").innerHTML = "<h2>" + text(program.name) + " (" + text(program.organizationId) + ")</h2><dl>"
      + "<dt>Program version</dt><dd>" + text(program.version) + "</dd>"
      + "<dt>Time zone</dt><dd>" + text(program.timeZone) + "</dd>"
      + "<dt>Point value</dt><dd>" + text(program.pointValue + " " + program.currency) + "</dd>"
      + "<dt>Tiers</dt><dd>" + text(program.tiers.join(", ") || "none") + "</dd>"
      + "<dt>Segments</dt><dd>" + text(program.segments.length) + "</dd>"
      + "<dt>Workflows</dt><dd>" + text(program.workflows.join(", ") || "none") + "</dd></dl>";
  }

  function showKpis(rows, currency) {
    const periods = rows.map(row => row.periodStart);
    // The cards show the latest period with purchases: a period only timers touched so far says little.
    const latest = rows.filter(row => row.memberOrders + row.nonMemberOrders > 0).pop() || rows[rows.length - 1] || {};
    document.getElementById("cards").innerHTML = [
      card("Active members", latest.activeMembers, "period from " + (latest.periodStart || "–")),
      card("Retention rate", percent(latest.retentionRate), latest.retainedMembers + " of " + latest.previousActiveMembers),
      card("Purchase frequency", latest.purchaseFrequency === null ? "–" : Number(latest.purchaseFrequency).toFixed(2), "orders per active member"),
      card("Order value, members", latest.memberAverageOrderValue, "non-members " + (latest.nonMemberAverageOrderValue || "–")),
      card("Redemption rate", percent(latest.pointsRedemptionRate), "members redeeming " + percent(latest.memberRedemptionRate)),
      card("Tier progression", percent(latest.tierConversion), latest.movedUp + " of " + latest.eligibleMembers + " eligible"),
      card("Outstanding points", latest.outstandingPoints, "liability " + latest.liability + " " + currency),
      card("Members", latest.membersAtEnd, latest.newEnrollments + " joined, " + latest.optOuts + " left"),
      card("Breakage", percent(latest.breakage), "expired / issued"),
      card("Offer conversion", percent(latest.offerConversion), latest.offersRedeemed + " of " + latest.offersIssued + " offers")
    ].join("");
    render("chart-retention", {
      legend: {}, xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: "members" }, { type: "value", name: "retention", max: 1 }],
      series: [
        { name: "active", type: "bar", data: rows.map(row => row.activeMembers) },
        { name: "retained", type: "bar", data: rows.map(row => row.retainedMembers) },
        { name: "retention rate", type: "line", yAxisIndex: 1, data: rows.map(row => number(row.retentionRate)) }]
    }, rows.length);
    render("chart-orders", {
      legend: {}, xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: currency }, { type: "value", name: "per member" }],
      series: [
        { name: "member order value", type: "line", data: rows.map(row => number(row.memberAverageOrderValue)) },
        { name: "non-member order value", type: "line", data: rows.map(row => number(row.nonMemberAverageOrderValue)) },
        { name: "purchase frequency", type: "bar", yAxisIndex: 1, data: rows.map(row => number(row.purchaseFrequency)) }]
    }, rows.length);
    render("chart-points", {
      legend: {}, xAxis: { type: "category", data: periods }, yAxis: { type: "value", name: "points" },
      series: [
        { name: "issued", type: "bar", data: rows.map(row => number(row.pointsIssued)) },
        { name: "redeemed", type: "bar", data: rows.map(row => number(row.pointsRedeemed)) },
        { name: "expired", type: "bar", data: rows.map(row => number(row.pointsExpired)) }]
    }, rows.length);
    render("chart-liability", {
      legend: {}, xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: currency }, { type: "value", name: "points" }],
      series: [
        { name: "liability", type: "line", areaStyle: {}, data: rows.map(row => number(row.liability)) },
        { name: "outstanding points", type: "line", yAxisIndex: 1, data: rows.map(row => number(row.outstandingPoints)) }]
    }, rows.length);
    const tiers = Object.entries(latest.tierDistribution || {});
    render("chart-tiers", {
      tooltip: { trigger: "item" }, legend: {},
      series: [{ type: "pie", radius: ["35%", "65%"], data: tiers.map(([tier, count]) => ({ name: tier, value: count })) }]
    }, tiers.length);
    render("chart-progression", {
      legend: {}, xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: "members" }, { type: "value", name: "conversion", max: 1 }],
      series: [
        { name: "eligible", type: "bar", data: rows.map(row => row.eligibleMembers) },
        { name: "moved up", type: "bar", data: rows.map(row => row.movedUp) },
        { name: "conversion", type: "line", yAxisIndex: 1, data: rows.map(row => number(row.tierConversion)) }]
    }, rows.length);
  }

  function showBars(id, entries, name) {
    render(id, {
      xAxis: { type: "value" }, yAxis: { type: "category", data: entries.map(entry => entry[0]), inverse: true },
      grid: { left: 230, right: 24, top: 16, bottom: 24 },
      series: [{ name: name, type: "bar", data: entries.map(entry => entry[1]) }]
    }, entries.length);
  }

  function showWorkflows(workflows) {
    const names = Object.keys(workflows);
    const measures = ["entered", "messages", "opened", "clicked", "converted"];
    render("chart-workflows", {
      legend: {}, xAxis: { type: "category", data: names }, yAxis: { type: "value", name: "runs / messages" },
      series: measures.map(measure => ({ name: measure, type: "bar", data: names.map(name => workflows[name][measure]) }))
    }, names.length);
  }

  /**
   * Each campaign that keeps a control group (the engine's offers, a workflow or broadcast): treated against control
   * conversion from its start to the end of the latest period, as loyalty.metrics publishes it, with the lift and its
   * 95% interval in the tooltip.
   */
  function showLift(rows) {
    const latest = rows.filter(row => row.holdouts && Object.keys(row.holdouts).length > 0)
      .sort((a, b) => a.periodStart.localeCompare(b.periodStart)).pop();
    const holdouts = latest ? latest.holdouts : {};
    const names = Object.keys(holdouts).filter(name => holdouts[name].control > 0);
    render("chart-lift", {
      legend: {}, xAxis: { type: "category", data: names }, yAxis: { type: "value", name: "conversion" },
      tooltip: {
        trigger: "axis",
        formatter: items => {
          const campaign = holdouts[items[0].name];
          return text(items[0].name) + "<br>treated " + text(campaign.treated) + ", control " + text(campaign.control)
            + "<br>lift " + text(campaign.lift) + " (95%: " + text(campaign.liftLow) + " to " + text(campaign.liftHigh) + ")";
        }
      },
      series: [
        { name: "treated", type: "bar", data: names.map(name => number(holdouts[name].treatedConversion)) },
        { name: "control (held out)", type: "bar", data: names.map(name => number(holdouts[name].controlConversion)) }]
    }, names.length);
  }

  async function load() {
    if (!keyInput.value) {
      setStatus("waiting", "Enter an API key (manager or admin role).");
      return;
    }
    sessionStorage.setItem("loyalty-api-key", keyInput.value);
    setStatus("loading", "Loading ...");
    try {
      const programs = await loadOrganizations();
      const program = programs.find(p => p.organizationId === orgSelect.value);
      if (!program) {
        setStatus("error", "No organization has a program yet.");
        return;
      }
      showProgram(program);
      const org = encodeURIComponent(program.organizationId);
      const [rows, segments, workflows, rejections] = await Promise.all([
        api("/v1/organizations/" + org + "/kpis?grain=" + grainSelect.value + "&periods=26"),
        api("/v1/organizations/" + org + "/segments"),
        api("/v1/organizations/" + org + "/workflows"),
        api("/v1/organizations/" + org + "/rejections")]);
      showKpis(rows, program.currency);
      showBars("chart-segments", Object.entries(segments).sort((a, b) => b[1] - a[1]), "customers");
      showWorkflows(workflows);
      showLift(rows);
      const reasons = Object.entries(rejections.reasons).concat(
        Object.entries(rejections.withoutOrganization).map(([reason, count]) => [reason + " (no organization)", count]));
      showBars("chart-rejections", reasons.sort((a, b) => b[1] - a[1]).slice(0, 10), "rejections");
      setStatus("ready", "Figures of " + program.organizationId + " per " + grainSelect.value.toLowerCase() + ", "
        + rows.length + " periods; the latest " + rejections.rejectionsRead + " rejections read.");
      if (fragment.get("customer") && !document.getElementById("lookup-result").dataset.account) {
        document.getElementById("lookup-query").value = fragment.get("customer");
        await lookup();
      }
    } catch (error) {
      setStatus("error", error.message);
    }
  }

  async function lookup() {
    const result = document.getElementById("lookup-result");
    const query = document.getElementById("lookup-query").value.trim();
    const org = encodeURIComponent(orgSelect.value);
    const path = query.includes("@") ? "/customers?email=" + encodeURIComponent(query)
      : /^[+()\d\s.-]{7,}$/.test(query) ? "/customers?phone=" + encodeURIComponent(query)
      : "/customers/" + encodeURIComponent(query);
    try {
      const profile = await api("/v1/organizations/" + org + path);
      const activity = await api("/v1/organizations/" + org + "/customers/" + encodeURIComponent(profile.customerId) + "/activity?limit=5");
      result.dataset.account = profile.accountKey;
      result.innerHTML = "<p><strong>" + text(profile.accountKey) + "</strong>: " + text(profile.membership) + ", tier "
        + text(profile.tier || "none") + ", balance " + text(profile.balance) + " (spendable " + text(profile.spendable) + "), "
        + text(profile.visits) + " visits, last purchase " + text(profile.lastPurchaseAt || "never") + "</p>"
        + "<p>Segments: " + text((profile.segments || []).join(", ") || "none") + "</p>"
        + "<table><tr><th>when</th><th>type</th><th>points</th><th>balance after</th></tr>"
        + activity.map(entry => "<tr><td>" + text(entry.occurredAt) + "</td><td>" + text(entry.type) + "</td><td>" + text(entry.delta)
          + "</td><td>" + text(entry.balanceAfter) + "</td></tr>").join("") + "</table>";
    } catch (error) {
      delete result.dataset.account;
      result.innerHTML = '<p class="problem">' + text(error.message) + "</p>";
    }
  }

  document.getElementById("settings").addEventListener("submit", event => { event.preventDefault(); load(); });
  document.getElementById("lookup").addEventListener("submit", event => { event.preventDefault(); lookup(); });
  grainSelect.addEventListener("change", load);
  orgSelect.addEventListener("change", load);
  window.addEventListener("resize", () => Object.values(charts).forEach(chart => chart.resize()));
  load();
})();
