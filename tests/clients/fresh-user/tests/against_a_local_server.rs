//! Runs the new user's program against a loopback server that checks the password grant.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

/// Answers one request: the token for a well-formed password grant, a list for the token.
fn answer(request_line: &str, headers: &str, body: &str) -> (u16, &'static str) {
    if request_line.starts_with("POST /identity/connect/token ") {
        let form_ok = body.contains("grant_type=password")
            && body.contains("username=ana%40example.test")
            && body.contains("password=p%40ss+word")
            && body.contains("client_secret=test-secret%26%3D")
            && headers.contains("content-type: application/x-www-form-urlencoded");
        if form_ok {
            return (200, r#"{"access_token":"t","token_type":"Bearer","expires_in":86400}"#);
        }
        return (400, r#"{"error":"invalid_request"}"#);
    }
    if request_line.starts_with("POST /api/v1/people/list ") && headers.contains("authorization: bearer t") {
        return (200, r#"{"Items":[{"ItemId":"1"},{"ItemId":"2"}]}"#);
    }
    (401, "{}")
}

#[test]
fn the_user_program_signs_in_and_lists_people() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                let line = line.to_ascii_lowercase();
                if let Some(value) = line.strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
                headers.push_str(&line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let (status, reply) = answer(&request_line, &headers, &String::from_utf8_lossy(&body));
            let response = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
            (&stream).write_all(response.as_bytes()).unwrap();
        }
    });
    let output = Command::new(env!("CARGO_BIN_EXE_fresh-user")).arg(&origin).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "2 people\n");
}
