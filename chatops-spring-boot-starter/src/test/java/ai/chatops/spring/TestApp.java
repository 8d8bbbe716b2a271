package ai.chatops.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application under test: nothing of its own but what each test adds. */
@SpringBootApplication
class TestApp {}
