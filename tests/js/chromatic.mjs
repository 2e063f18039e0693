// Prints every ColorBrewer scheme and the viridis family as d3-scale-chromatic publishes them:
// {"colorbrewer": {name: {"kind": "discrete"|"qualitative", "schemes": {n: ["#rrggbb", …]}}},
//  "ramps": {name: {n: ["#rrggbb", …]}}} (ramps sampled with d3.quantize for n = 2…12 and 256;
// d3 tabulates viridis, magma, inferno and plasma, but fits cividis with a polynomial).
import * as chromatic from "d3-scale-chromatic";

const notColorBrewer = new Set(["Category10", "Tableau10", "Observable10"]);
const out = { colorbrewer: {}, ramps: {} };
for (const [key, value] of Object.entries(chromatic)) {
    if (!key.startsWith("scheme")) continue;
    const name = key.slice("scheme".length);
    if (notColorBrewer.has(name)) continue;
    if (typeof value[0] === "string") {
        // Qualitative: one array of the largest size; the n-class scheme is its first n colours.
        const schemes = {};
        for (let n = 3; n <= value.length; ++n) schemes[n] = value.slice(0, n);
        out.colorbrewer[name] = { kind: "qualitative", schemes };
    } else {
        const schemes = {};
        value.forEach((colors, n) => { if (colors) schemes[n] = colors; });
        out.colorbrewer[name] = { kind: "discrete", schemes };
    }
}
// d3 gives "#rrggbb" for the tabulated ramps and "rgb(r, g, b)" for cividis (a polynomial fit).
const hex = (c) => {
    const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(c);
    return m ? "#" + m.slice(1).map((v) => Number(v).toString(16).padStart(2, "0")).join("") : c;
};
const quantize = (f, n) => Array.from({ length: n }, (_, i) => hex(f(i / (n - 1))));
for (const name of ["Viridis", "Magma", "Inferno", "Plasma", "Cividis"]) {
    const f = chromatic["interpolate" + name];
    const ramps = {};
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 256]) ramps[n] = quantize(f, n);
    out.ramps[name.toLowerCase()] = ramps;
}
process.stdout.write(JSON.stringify(out) + "\n");
