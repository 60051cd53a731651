pub struct Parser;
pub struct Token;

impl Parser {
    pub fn parse(&self) -> Token {
        Token
    }
}

impl Token {
    pub fn kind(&self) -> u8 {
        0
    }
}

fn parse() -> u8 {
    1
}

fn helper() {}

pub fn run(parser: Parser, helper: fn()) {
    let parse = parser.parse();
    parse.kind();
    helper();
    {
        let parser = Token;
        parser.kind();
    }
    parser.parse();
    let value = 3;
    let value = Parser;
    value.parse();
}

pub fn later() {
    parse();
    helper();
    match Some(Parser) {
        Some(p) => {
            p.parse();
        }
        None => {}
    }
}
