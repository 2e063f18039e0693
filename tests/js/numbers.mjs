// Reads [{"value": v, "style": "plain"|"compact"|"percent", "decimals": d}, …] on stdin and prints
// how ECMA-402 (Intl.NumberFormat, en-US) writes each: plain with d decimals and grouping, compact
// notation (1.2K, 12K, 1.2M), percent of a share with d decimals.
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
    const out = JSON.parse(input).map(({ value, style, decimals }) => {
        if (style === "compact") {
            return new Intl.NumberFormat("en-US", { notation: "compact" }).format(value);
        }
        if (style === "percent") {
            return new Intl.NumberFormat("en-US", {
                style: "percent",
                minimumFractionDigits: decimals,
                maximumFractionDigits: decimals,
            }).format(value);
        }
        return new Intl.NumberFormat("en-US", {
            minimumFractionDigits: decimals,
            maximumFractionDigits: decimals,
        }).format(value);
    });
    process.stdout.write(JSON.stringify(out) + "\n");
});
