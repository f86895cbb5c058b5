import Foundation
import Testing
import TestSupport
import VisageImaging
@testable import VisagePipeline

/// The rasteriser, the bitmap font, the facts read from reports and the HTML escaping, on
/// hand-checkable cases.
@Suite struct AnnotateDrawingTests {
    func blank(_ w: Int, _ h: Int) -> Canvas { Canvas(Image8(width: w, height: h, channels: 3, fill: 0)) }
    func lit(_ c: Canvas) -> Set<[Int]> {
        var out: Set<[Int]> = []
        for y in 0..<c.image.height { for x in 0..<c.image.width where c.image[x, y, 0] > 0 { out.insert([x, y]) } }
        return out
    }

    @Test func horizontalLineCoversItsPixelCentresOnly() {
        // Given a 10×5 black canvas, When a 1-px line from (2,2) to (6,2) is drawn
        var c = blank(10, 5)
        c.line(Point(x: 2, y: 2), Point(x: 6, y: 2), thickness: 1, .white)
        // Then exactly pixels x 2...6 of row 2 are white (centres within 0.5 px of the segment)
        #expect(lit(c) == Set((2...6).map { [$0, 2] }))
    }

    @Test func thickLineHasRoundCapsAndWidth() {
        var c = blank(12, 9)
        c.line(Point(x: 3, y: 4), Point(x: 8, y: 4), thickness: 3, .white)
        // rows 3...5 along x 3...8; caps reach one pixel beyond the ends on the centre row
        #expect(lit(c).contains([2, 4]) && lit(c).contains([9, 4]) && !lit(c).contains([10, 4]))
        #expect(lit(c).contains([5, 3]) && lit(c).contains([5, 5]) && !lit(c).contains([5, 2]) && !lit(c).contains([5, 6]))
    }

    @Test func ringAndDiscAreSymmetricAboutTheCentre() {
        var ring = blank(21, 21), disc = blank(21, 21)
        ring.circle(Point(x: 10, y: 10), radius: 6, thickness: 1, .white)
        disc.circle(Point(x: 10, y: 10), radius: 6, thickness: 1, filled: true, .white)
        #expect(lit(ring).contains([16, 10]) && lit(ring).contains([10, 4]) && !lit(ring).contains([10, 10]))
        #expect(lit(disc).contains([10, 10]) && lit(disc).contains([16, 10]) && !lit(disc).contains([18, 10]))
        for p in lit(ring) { #expect(lit(ring).contains([20 - p[0], p[1]]) && lit(ring).contains([p[0], 20 - p[1]])) }
    }

    @Test func alphaBlendsAndShapesClipAtTheBorder() {
        // Given grey 100, When white at alpha 0.5 fills a rect that sticks out of the image
        var c = Canvas(Image8(width: 4, height: 4, channels: 3, fill: 100))
        c.fillRect(x0: -5, y0: 2, x1: 99, y1: 99, DrawColor.white.with(alpha: 0.5))
        // Then covered pixels are (100 + 255) / 2 = 177.5 → 178, others unchanged, no crash
        #expect(c.image[0, 3, 0] == 178 && c.image[3, 2, 2] == 178 && c.image[0, 1, 0] == 100)
        c.line(Point(x: -50, y: -50), Point(x: -10, y: -10), thickness: 4, .black)
        c.circle(Point(x: .nan, y: 1), radius: 3, thickness: 1, .black)
        #expect(c.image[0, 0, 0] == 100)
    }

    @Test func greyImagesBecomeRGB() {
        let c = Canvas(Image8(width: 2, height: 1, channels: 1, pixels: [7, 9]))
        #expect(c.image.channels == 3 && c.image.pixels == [7, 7, 7, 9, 9, 9])
    }

    @Test func fontDrawsKnownGlyphShapes() {
        // Space is empty, 'I' and 'l' have ink, unknown characters fall back to '?'
        #expect((0..<6).allSatisfy { x in (0..<11).allSatisfy { y in !BitmapFont.ink(" ", x: x, y: y) } })
        let count: (Character) -> Int = { ch in (0..<6).reduce(0) { a, x in a + (0..<11).filter { BitmapFont.ink(ch, x: x, y: $0) }.count } }
        #expect(count("I") > 4 && count("l") > 4 && count("é") == count("?") && count("?") > 0)
        var c = blank(40, 20)
        c.text("Hi", x: 1, y: 1, scale: 1, .white)
        #expect(!lit(c).isEmpty && lit(c).allSatisfy { $0[0] >= 1 && $0[0] < 13 && $0[1] >= 1 && $0[1] < 12 })
        #expect(BitmapFont.textWidth("Monk", scale: 2) == 48)
    }

    @Test func hexColoursParse() {
        #expect(DrawColor(hex: "#a0b1c2") == DrawColor(r: 0xA0, g: 0xB1, b: 0xC2))
        #expect(DrawColor(hex: "#a0b1") == nil && DrawColor(hex: "zzzzzz") == nil)
    }

    @Test func factsAreReadFromResultShapes() throws {
        // Given a face as reports write it (camelCase keys from VisageBeauty's Codable results)
        let face = try JSONParser.parse(Data("""
        {"index": 0, "skin": {"monk": {"label": "5", "hex": "#d7bd96"}, "color": {"hex": "#c8a080"},
          "ita": {"category": "intermediate", "degrees": 30.5}, "undertone": {"label": "warm"}},
         "colours": {"lips": {"feature": {"color": {"hex": "#aa4455"}}}, "eyes": {"feature": {"color": null}},
                     "hair": {"color": {"hex": "#201010"}}, "eyebrows": {"withheld": "x"}},
         "makeup": {"style": "natural", "lipstick": {"present": true}},
         "quality": {"reasons": ["too_dark"], "colorUsable": false}}
        """.utf8))
        let facts = FaceFacts(face: face)
        // Then lines and swatches come out in display order
        #expect(facts.lines == ["Monk 5  ITA intermediate", "undertone warm", "makeup natural", "quality: too_dark"])
        #expect(facts.swatches.map(\.name) == ["skin", "monk", "lip", "hair"])
        #expect(facts.swatches.map(\.hex) == ["#c8a080", "#d7bd96", "#aa4455", "#201010"])
    }

    @Test func htmlEscapingAndLinks() {
        #expect(ContactSheet.escape(#"<a href="x">&'"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(ContactSheet.link("dir a/x#1?.jpg.json") == "dir%20a/x%231%3F.jpg.json")
        #expect(ContactSheet.link("c:d/<&>.jpg") == "c%3Ad/%3C&amp;%3E.jpg")
    }
}

/// `fillRect`'s per-channel tables against blending each pixel, on seeded random images.
@Suite struct FillRectTableTests {
    @Test func tableFillMatchesPerPixelBlend() {
        // Given seeded random RGB images, rectangles partly outside and colours of any opacity
        var random = SeededRandom(seed: 99)
        func next(_ n: Int) -> Int { random.next(n) }
        for trial in 0..<60 {
            let w = 1 + next(60), h = 1 + next(60)
            let image = Image8(width: w, height: h, channels: 3, pixels: (0..<(w * h * 3)).map { _ in UInt8(next(256)) })
            let alpha = [0, 1, 0.6, 0.5, -0.2, 1.7][trial % 6] as Double
            let opacity = trial % 6 > 1 ? alpha : Double(next(1001)) / 1000
            let color = DrawColor(r: UInt8(next(256)), g: UInt8(next(256)), b: UInt8(next(256)), alpha: opacity)
            let x0 = next(w + 10) - 5, y0 = next(h + 10) - 5, x1 = x0 + next(w + 5), y1 = y0 + next(h + 5)
            // When filled with tables and blended pixel by pixel
            var fast = Canvas(image), slow = Canvas(image)
            fast.fillRect(x0: x0, y0: y0, x1: x1, y1: y1, color)
            for y in max(0, y0)..<max(max(0, y0), min(h, y1)) {
                for x in max(0, x0)..<max(max(0, x0), min(w, x1)) { slow.blend(x: x, y: y, color) }
            }
            // Then the same bytes
            #expect(fast.image.pixels == slow.image.pixels, "trial \(trial): \(w)×\(h), \(x0),\(y0)-\(x1),\(y1), \(color)")
        }
    }
}

/// Lines, polylines and circles (row-limited scans through `Ink` tables) against their definition
/// applied to every pixel with `blend`, on seeded random images and shapes partly outside them.
@Suite struct StrokeDefinitionTests {
    @Test func strokesAndCirclesMatchTheirDefinitionPixelByPixel() {
        // Given seeded random images, segments at every angle (horizontal, vertical, zero length,
        // far outside) and colours of any opacity
        var random = SeededRandom(seed: 2024)
        func next(_ n: Int) -> Int { random.next(n) }
        func coordinate(_ size: Int) -> Double { Double(next(size * 40 + 200) - 100) / 20 }
        for trial in 0..<120 {
            let w = 1 + next(50), h = 1 + next(50)
            let image = Image8(width: w, height: h, channels: 3, pixels: (0..<(w * h * 3)).map { _ in UInt8(next(256)) })
            let color = DrawColor(r: UInt8(next(256)), g: UInt8(next(256)), b: UInt8(next(256)),
                                  alpha: [1, 0.8, 0.9, 0.35, 0, 1.4][trial % 6])
            var a = Point(x: coordinate(w), y: coordinate(h)), b = Point(x: coordinate(w), y: coordinate(h))
            if trial % 7 == 1 { b.y = a.y }   // horizontal
            if trial % 7 == 2 { b.x = a.x }   // vertical
            if trial % 7 == 3 { b = a }       // a dot
            if trial % 7 == 4 { a.y -= 200 }  // steep, mostly outside
            let thickness = Double(1 + next(80)) / 10, r = max(0.5, thickness / 2)
            // When drawn by the canvas and by the definition
            var fast = Canvas(image), slow = Canvas(image)
            fast.line(a, b, thickness: thickness, color)
            let dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy
            for y in 0..<h {
                for x in 0..<w {
                    let px = Double(x) - a.x, py = Double(y) - a.y
                    let t = length2 > 0 ? max(0, min(1, (px * dx + py * dy) / length2)) : 0
                    if (px - t * dx) * (px - t * dx) + (py - t * dy) * (py - t * dy) <= r * r { slow.blend(x: x, y: y, color) }
                }
            }
            // Then the same bytes
            #expect(fast.image.pixels == slow.image.pixels, "line trial \(trial): \(w)×\(h), \(a)-\(b), t \(thickness)")

            // And a ring and a disc the same way
            let centre = Point(x: coordinate(w), y: coordinate(h)), radius = Double(next(200)) / 10
            for filled in [false, true] {
                var ring = Canvas(image), reference = Canvas(image)
                ring.circle(centre, radius: radius, thickness: thickness, filled: filled, color)
                let half = max(0.5, thickness / 2)
                for y in 0..<h {
                    for x in 0..<w {
                        let d = ((Double(x) - centre.x) * (Double(x) - centre.x) + (Double(y) - centre.y) * (Double(y) - centre.y)).squareRoot()
                        if filled ? d <= radius + half : abs(d - radius) <= half { reference.blend(x: x, y: y, color) }
                    }
                }
                #expect(ring.image.pixels == reference.image.pixels, "circle trial \(trial), filled \(filled)")
            }
        }
    }
}
