// Swedish locale for plotly.js (the plotly package ships none): month and day names,
// ISO dates, decimal comma and a space as thousands separator.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "sv",
    dictionary: {
      "Autoscale": "Autoskala",
      "Reset axes": "Återställ axlar",
      "Zoom in": "Zooma in",
      "Zoom out": "Zooma ut",
      "Download plot as a png": "Ladda ner diagrammet som png",
      "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
      "Click to enter Colorscale title": "Klicka för att ange titel på färgskala",
      "Click to enter Plot title": "Klicka för att ange titel på diagrammet",
      "Click to enter X axis title": "Klicka för att ange titel på x-axeln",
      "Click to enter Y axis title": "Klicka för att ange titel på y-axeln",
      "trace": "serie"
    },
    format: {
      days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
      shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
      months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
        "september", "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
        "nov", "dec"],
      date: "%Y-%m-%d",
      decimal: ",",
      thousands: " "
    }
  });
})();
