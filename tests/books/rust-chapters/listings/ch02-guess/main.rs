// ANCHOR: all
use std::cmp::Ordering;
use std::io;

// ANCHOR: secret
fn secret_number(seed: u64) -> u32 {
    // a small linear congruential generator: enough for a game, not for anything secret
    let next = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (next >> 33) as u32 % 100 + 1
}
// ANCHOR_END: secret

fn main() {
    println!("Guess the number between 1 and 100.");
    let secret = secret_number(42);
    loop {
        let mut guess = String::new();
        io::stdin().read_line(&mut guess).expect("failed to read a line");
        // ANCHOR: parse
        let guess: u32 = match guess.trim().parse() {
            Ok(number) => number,
            Err(_) => {
                println!("Please type a number.");
                continue;
            }
        };
        // ANCHOR_END: parse
        match guess.cmp(&secret) {
            Ordering::Less => println!("Too small."),
            Ordering::Greater => println!("Too big."),
            Ordering::Equal => {
                println!("You win.");
                break;
            }
        }
    }
}
// ANCHOR_END: all
