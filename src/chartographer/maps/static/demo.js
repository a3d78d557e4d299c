  // an API key given to this page (?key=…) is passed on to the tile URLs
  const key = new URLSearchParams(location.search).get("key");
  const query = key ? "?key=" + encodeURIComponent(key) : "";
  const map = L.map("map", { worldCopyJump: true }).setView([48.5, 5], 4);
  const select = document.getElementById("source");
  if ([...select.options].some((o) => o.value === "builtin")) select.value = "builtin";
  let layer = null;
  async function show(name) {
    const doc = await (await fetch("../tiles/" + name + ".json" + query)).json();
    document.getElementById("tilejson").href = "../tiles/" + name + ".json" + query;
    if (layer) map.removeLayer(layer);
    layer = L.tileLayer(doc.tiles[0], {
      minZoom: doc.minzoom, maxZoom: 18, maxNativeZoom: doc.maxzoom,
      attribution: doc.attribution,
    }).addTo(map);
  }
  select.addEventListener("change", () => show(select.value));
  show(select.value);
