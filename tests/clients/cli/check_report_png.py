"""Checks that a screenshot of the HTML report is a real rendered page.

    check_report_png.py PNG WIDTH HEIGHT

Exit 0 when the image has the expected size, is not blank (enough non-white
pixels, many distinct colours) and shows the chart colours the report uses:
the Okabe-Ito blue of the first channel and of the histogram bars, the
green of met deadlines / positive NPS, the vermilion of negative NPS, and the
dashed red deadline marker. Prints what it measured.
"""
import sys

from PIL import Image


def near(c, target, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(c, target))


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    img = Image.open(path).convert("RGB")
    w, h = img.size
    problems = []
    if (w, h) != (want_w, want_h):
        problems.append(f"size {w}x{h}, expected {want_w}x{want_h}")
    colours = img.getcolors(maxcolors=1 << 24)
    total = w * h
    non_white = sum(n for n, c in colours if min(c) < 245)
    distinct = len(colours)
    targets = {
        "blue #0072B2": (0x00, 0x72, 0xB2),
        "green #009E73": (0x00, 0x9E, 0x73),
        "vermilion #D55E00": (0xD5, 0x5E, 0x00),
        "marker red #C0392B": (0xC0, 0x39, 0x2B),
        "orange #E69F00": (0xE6, 0x9F, 0x00),
    }
    found = {}
    for name, t in targets.items():
        found[name] = sum(n for n, c in colours if near(c, t, 24))
    print(f"{path}: {w}x{h}, {distinct} distinct colours, "
          f"{100.0 * non_white / total:.1f}% non-white pixels")
    for name, n in found.items():
        print(f"  {name}: {n} pixels")
    if non_white < total * 0.03:
        problems.append(f"only {non_white} non-white pixels: blank page?")
    if distinct < 50:
        problems.append(f"only {distinct} distinct colours: no text or charts rendered?")
    for name, n in found.items():
        if n < 30:
            problems.append(f"chart colour {name} not found ({n} pixels)")
    # The top-left of a real page is the white body margin, not an error page.
    if img.getpixel((5, 5)) != (255, 255, 255):
        problems.append(f"top-left pixel is {img.getpixel((5, 5))}, expected white")
    if problems:
        for p in problems:
            print("FAIL:", p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
