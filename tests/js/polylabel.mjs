// Reads [{"polygon": [[[x, y], …], …], "precision": p}, …] on stdin and prints, for each, the pole
// of inaccessibility npm polylabel finds: [[x, y, distance], …].
import polylabel from "polylabel";

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
    const out = JSON.parse(input).map(({ polygon, precision }) => {
        const p = polylabel(polygon, precision);
        return [p[0], p[1], p.distance];
    });
    process.stdout.write(JSON.stringify(out) + "\n");
});
