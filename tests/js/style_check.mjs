// Checks a MapLibre style with MapLibre's own style-spec: validates it, then evaluates the fill
// colour of layer `features-fill` for each feature of FEATURES.json ([{properties, fill:"#rrggbb"}])
// and prints one JSON line {"errors":[...], "checked":n, "wrong":[...], "colours":distinct}.
// Usage: node style_check.mjs STYLE.json FEATURES.json
import { validateStyleMin, latest, createPropertyExpression } from '@maplibre/maplibre-gl-style-spec';
import { readFileSync } from 'node:fs';

const style = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const features = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const errors = validateStyleMin(style).map((e) => e.message);
const layer = style.layers.find((l) => l.id === 'features-fill');
const result = { errors, checked: 0, wrong: [], colours: 0 };
const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round((v / (c.a || 1)) * 255).toString(16).padStart(2, '0')).join('');
if (!layer) {
    result.errors.push('no layer features-fill');
} else {
    const parsed = createPropertyExpression(layer.paint['fill-color'], latest.paint_fill['fill-color']);
    if (parsed.result !== 'success') {
        result.errors.push(...parsed.value.map((e) => e.message));
    } else {
        const seen = new Set();
        for (const f of features) {
            const got = hex(parsed.value.evaluate({ zoom: 5 }, { type: 'Polygon', properties: f.properties }));
            seen.add(got);
            result.checked++;
            if (got !== f.fill) result.wrong.push({ properties: f.properties, want: f.fill, got });
        }
        result.colours = seen.size;
        result.wrong = result.wrong.slice(0, 10);
    }
}
process.stdout.write(JSON.stringify(result) + '\n');
