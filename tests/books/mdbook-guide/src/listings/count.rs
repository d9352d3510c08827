// ANCHOR: main
fn main() {
    let words = std::env::args().skip(1);
    println!("{}", words.count());
}
// ANCHOR_END: main
