fn main() {
    println!("Counted: {}", 3);
}
